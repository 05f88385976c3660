/**
 * MySQL and MariaDB: text converted to utf8mb4 with a binary NO PAD collation (MariaDB's default
 * collations merge 'paris' and 'Paris'), numbers as DECIMAL where exactness matters (`/` keeps
 * only 4 more digits otherwise, and ROUND on doubles rounds half to even), DATETIME read as UTC.
 */
import { DefaultCompiler, literalScale } from '../../compiler/default-compiler';
import { int, param, raw, sql, type Sql } from '../../compiler/sql-fragment';
import type { AggregateFn, LiteralValue, ValueType } from '../../plan/nodes';
import type { SourceColumn } from '../../types';

const DECIMAL = 'DECIMAL(65,30)';

export class MysqlCompiler extends DefaultCompiler {
  override quoteIdentifier(name: string): string {
    return `\`${name.replaceAll('`', '``')}\``;
  }

  /**
   * Binary and NO PAD: MariaDB's utf8mb4_bin ignores trailing spaces in comparisons ('a' =
   * 'a '). MySQL 8 servers spell it utf8mb4_0900_bin: a subclass overrides this one name.
   */
  protected textCollation = 'utf8mb4_nopad_bin';

  protected binaryText(x: Sql): Sql {
    return sql`CONVERT(${x} USING utf8mb4) COLLATE ${raw(this.textCollation)}`;
  }

  override literal(v: LiteralValue): Sql {
    switch (v.type) {
      case 'number': {
        // As text with a cast: prepared statements would send a JS number as a DOUBLE.
        if (/^-?\d+$/.test(v.text) && Number.isSafeInteger(Number(v.text))) return sql`CAST(${param(v.text)} AS SIGNED)`;
        return sql`CAST(${param(v.text)} AS ${raw(`DECIMAL(65,${literalScale(v.text)})`)})`;
      }
      case 'string': return sql`(${this.binaryText(param(v.value))})`;
      case 'boolean': return param(v.value ? 1 : 0);
      case 'date': return sql`CAST(${param(v.value)} AS DATE)`;
      case 'timestamp': {
        const iso = new Date(v.ms).toISOString();
        return sql`CAST(${param(`${iso.slice(0, 10)} ${iso.slice(11, 23)}`)} AS DATETIME(3))`;
      }
      case 'null': return raw('NULL');
    }
  }

  override column(ref: Sql, column: SourceColumn): Sql {
    return column.type === 'string' ? sql`(${this.binaryText(ref)})` : ref;
  }

  override formatDate(e: Sql): Sql {
    return sql`DATE_FORMAT(${e}, '%Y-%m-%d')`;
  }
  override formatTimestamp(e: Sql): Sql {
    return sql`CONCAT(LEFT(DATE_FORMAT(${e}, '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')`;
  }

  override divide(l: Sql, r: Sql): Sql {
    return sql`(CAST(${l} AS ${raw(DECIMAL)}) / NULLIF(${r}, 0))`;
  }
  override modulo(l: Sql, r: Sql): Sql {
    return sql`MOD(${l}, NULLIF(${r}, 0))`;
  }
  override round(x: Sql, digits: Sql | null): Sql {
    const d = sql`CAST(${x} AS ${raw(DECIMAL)})`;
    return digits ? sql`ROUND(${d}, ${this.toInt(digits)})` : sql`ROUND(${d})`;
  }
  override numberToText(x: Sql): Sql {
    return sql`TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(CAST(${x} AS ${raw(DECIMAL)}) AS CHAR)))`;
  }
  override toInt(x: Sql): Sql {
    return sql`CAST(${x} AS SIGNED)`;
  }
  override ceil(x: Sql): Sql {
    return sql`CEILING(${x})`;
  }

  override charLength(x: Sql): Sql {
    return sql`CHAR_LENGTH(${x})`;
  }
  override trimSpaces(x: Sql): Sql {
    return sql`TRIM(BOTH ' ' FROM ${x})`;
  }
  override substr(s: Sql, start: Sql, length: Sql | null): Sql {
    return length ? sql`SUBSTRING(${s}, ${start}, ${length})` : sql`SUBSTRING(${s}, ${start})`;
  }
  override position(haystack: Sql, needle: Sql): Sql {
    return sql`LOCATE(${needle}, ${haystack})`;
  }
  override concat(parts: Sql[]): Sql {
    return sql`(${this.binaryText(sql`CONCAT(${joinSql(parts)})`)})`;
  }

  override aggregate(fn: AggregateFn, x: Sql | null, type: ValueType): Sql {
    // AVG of integers keeps only 4 decimals in MySQL: average exact decimals instead.
    if (fn === 'avg' && x) return sql`AVG(CAST(${x} AS ${raw(DECIMAL)}))`;
    return super.aggregate(fn, x, type);
  }

  override instantConstant(epochSeconds: number): Sql {
    const iso = new Date(epochSeconds * 1000).toISOString();
    return raw(`TIMESTAMP'${iso.slice(0, 10)} ${iso.slice(11, 19)}'`);
  }
  override localTimestamp(ts: Sql, offset: Sql | number): Sql {
    return offset === 0 ? ts : sql`DATE_ADD(${ts}, INTERVAL ${typeof offset === 'number' ? int(offset) : offset} SECOND)`;
  }
  override localTimestampDate(local: Sql): Sql {
    return sql`DATE(${local})`;
  }
  override truncDate(d: Sql, unit: 'year' | 'quarter' | 'month' | 'week' | 'day'): Sql {
    switch (unit) {
      case 'day': return sql`DATE(${d})`;
      case 'year': return sql`MAKEDATE(YEAR(${d}), 1)`;
      case 'quarter': return sql`(MAKEDATE(YEAR(${d}), 1) + INTERVAL (QUARTER(${d}) - 1) QUARTER)`;
      case 'month': return sql`CAST(DATE_FORMAT(${d}, '%Y-%m-01') AS DATE)`;
      case 'week': return sql`DATE_SUB(${d}, INTERVAL WEEKDAY(${d}) DAY)`;
    }
  }
  override hourBucket(ts: Sql, remainder: Sql | number): Sql {
    const shifted = this.localTimestamp(ts, remainder);
    const start = sql`CAST(DATE_FORMAT(${shifted}, '%Y-%m-%d %H:00:00') AS DATETIME)`;
    return remainder === 0 ? start : sql`DATE_SUB(${start}, INTERVAL ${typeof remainder === 'number' ? int(remainder) : remainder} SECOND)`;
  }
  override datePart(d: Sql, part: 'year' | 'month' | 'day'): Sql {
    return part === 'day' ? sql`DAYOFMONTH(${d})` : sql`${raw(part.toUpperCase())}(${d})`;
  }
  override daysBetween(a: Sql, b: Sql): Sql {
    return sql`DATEDIFF(${b}, ${a})`;
  }
  override elapsedWhole(a: Sql, b: Sql, unitSeconds: number): Sql {
    return sql`(TIMESTAMPDIFF(MICROSECOND, ${a}, ${b}) DIV ${unitSeconds * 1_000_000})`;
  }
  override intDiv(a: Sql, n: number): Sql {
    return sql`(${a} DIV ${n})`;
  }
  override dateAsInstant(d: Sql): Sql {
    return sql`CAST(${d} AS DATETIME)`;
  }
}

function joinSql(parts: Sql[]): Sql {
  return parts.reduce((acc, p, i) => (i === 0 ? p : sql`${acc}, ${p}`), raw(''));
}
