/**
 * SQLite: dates are TEXT `YYYY-MM-DD`, timestamps TEXT in UTC, read into integer milliseconds
 * since the epoch; booleans 0/1. Text compares in BINARY (code point) order by default. What
 * SQLite lacks comes from the functions in sqlite-functions.ts, registered by the connector.
 */
import { DefaultCompiler, type OffsetLeaf } from '../../compiler/default-compiler';
import { int, param, raw, sql, type Sql } from '../../compiler/sql-fragment';
import type { AggregateFn, LiteralValue, ValueType } from '../../plan/nodes';
import type { SourceColumn } from '../../types';
import { zoneSteps } from '../../time/zone';

export class SqliteCompiler extends DefaultCompiler {
  override literal(v: LiteralValue): Sql {
    switch (v.type) {
      case 'number': return param(Number(v.text));
      case 'string': return param(v.value);
      case 'boolean': return param(v.value ? 1 : 0);
      case 'date': return param(v.value);
      case 'timestamp': return param(v.ms);
      case 'null': return raw('NULL');
    }
  }

  override column(ref: Sql, column: SourceColumn): Sql {
    switch (column.type) {
      // A column declared COLLATE NOCASE would otherwise compare case-insensitively.
      case 'string': return sql`(${ref} COLLATE BINARY)`;
      case 'timestamp': return sql`CAST(ROUND(UNIXEPOCH(${ref}, 'subsec') * 1000) AS INTEGER)`;
      default: return ref;
    }
  }

  override formatDate(e: Sql): Sql {
    return e;
  }
  override formatTimestamp(e: Sql): Sql {
    return sql`STRFTIME('%Y-%m-%dT%H:%M:%fZ', ${e} / 1000.0, 'unixepoch')`;
  }

  // Numbers are doubles here: arithmetic runs on their exact decimals in sl_* functions, so
  // 0.1 + 0.2 is 0.3 and 7.5 % 2 is 1.5 as on the databases with DECIMAL.
  override arith(op: '+' | '-' | '*', l: Sql, r: Sql): Sql {
    return sql`${raw(op === '+' ? 'sl_add' : op === '-' ? 'sl_sub' : 'sl_mul')}(${l}, ${r})`;
  }
  override divide(l: Sql, r: Sql): Sql {
    return sql`sl_div(${l}, ${r})`;
  }
  override modulo(l: Sql, r: Sql): Sql {
    return sql`sl_mod(${l}, ${r})`;
  }
  override round(x: Sql, digits: Sql | null): Sql {
    return sql`sl_round(${x}, ${digits ?? int(0)})`;
  }
  override numberToText(x: Sql): Sql {
    return sql`sl_number_text(${x})`;
  }
  override greatest(a: Sql, b: Sql): Sql {
    return sql`MAX(${a}, ${b})`;
  }
  override upper(x: Sql): Sql {
    return sql`sl_upper(${x})`;
  }
  override lower(x: Sql): Sql {
    return sql`sl_lower(${x})`;
  }
  override position(haystack: Sql, needle: Sql): Sql {
    return sql`INSTR(${haystack}, ${needle})`;
  }

  override aggregate(fn: AggregateFn, x: Sql | null, type: ValueType): Sql {
    if (x && fn === 'sum') return sql`sl_sum(SUM(${x}))`;
    if (x && fn === 'avg') return sql`sl_div(sl_sum(SUM(${x})), COUNT(${x}))`;
    return super.aggregate(fn, x, type);
  }

  /** Offsets come from `sl_utc_offset`, the same transition table the other dialects inline. */
  override utcOffset(ts: Sql, leaf: OffsetLeaf): Sql | number {
    const { offsets } = zoneSteps(this.options.zone);
    const value = (o: number) => (leaf === 'offset' ? o : ((o % 3600) + 3600) % 3600);
    if (offsets.every((o) => value(o) === value(offsets[0]!))) return value(offsets[0]!);
    const off = sql`sl_utc_offset(${ts}, ${param(this.options.zone)})`;
    return leaf === 'offset' ? off : sql`(((${off} % 3600) + 3600) % 3600)`;
  }

  override instantConstant(epochSeconds: number): Sql {
    return int(epochSeconds * 1000);
  }
  override localTimestamp(ts: Sql, offset: Sql | number): Sql {
    return offset === 0 ? ts : sql`(${ts} + ${typeof offset === 'number' ? int(offset) : offset} * 1000)`;
  }
  override localTimestampDate(local: Sql): Sql {
    return sql`DATE(${local} / 1000.0, 'unixepoch')`;
  }
  override truncDate(d: Sql, unit: 'year' | 'quarter' | 'month' | 'week' | 'day'): Sql {
    switch (unit) {
      case 'day': return d;
      case 'year': return sql`DATE(${d}, 'start of year')`;
      case 'month': return sql`DATE(${d}, 'start of month')`;
      case 'week': return sql`DATE(${d}, 'weekday 0', '-6 days')`;
      case 'quarter':
        return sql`DATE(${d}, 'start of month', '-' || ((CAST(STRFTIME('%m', ${d}) AS INTEGER) - 1) % 3) || ' months')`;
    }
  }
  override hourBucket(ts: Sql, remainder: Sql | number): Sql {
    const shifted = this.localTimestamp(ts, remainder);
    const bucket = sql`(${shifted} - (((${shifted} % 3600000) + 3600000) % 3600000))`;
    return remainder === 0 ? bucket : sql`(${bucket} - ${typeof remainder === 'number' ? int(remainder) : remainder} * 1000)`;
  }
  override datePart(d: Sql, part: 'year' | 'month' | 'day'): Sql {
    const f = part === 'year' ? '%Y' : part === 'month' ? '%m' : '%d';
    return sql`CAST(STRFTIME(${raw(`'${f}'`)}, ${d}) AS INTEGER)`;
  }
  override daysBetween(a: Sql, b: Sql): Sql {
    return sql`CAST(ROUND(JULIANDAY(${b}) - JULIANDAY(${a})) AS INTEGER)`;
  }
  override elapsedWhole(a: Sql, b: Sql, unitSeconds: number): Sql {
    return sql`((${b} - ${a}) / ${unitSeconds * 1000})`;
  }
  override intDiv(a: Sql, n: number): Sql {
    return sql`(${a} / ${n})`;
  }
  override dateAsInstant(d: Sql): Sql {
    return sql`(UNIXEPOCH(${d}) * 1000)`;
  }
}
