/**
 * PostgreSQL: numbers computed as `numeric` (exact decimals, `/` never integer division), text
 * ordered with COLLATE "C" (binary, whatever the database's locale), timestamps as timestamptz
 * (`timestamp` columns read as UTC: sessions run in UTC).
 */
import { DefaultCompiler } from '../../compiler/default-compiler';
import { int, param, raw, sql, type Sql } from '../../compiler/sql-fragment';
import type { Expr, LiteralValue } from '../../plan/nodes';
import type { SourceColumn } from '../../types';

const INT64_LIMIT = 9_000_000_000_000_000_000n;

export class PostgresCompiler extends DefaultCompiler {
  /** The exact decimal type; Redshift needs a precision. */
  protected numericType = 'numeric';
  protected textType = 'text';

  override placeholder(index: number): string {
    return `$${index}`;
  }

  protected p(value: string | number | boolean, type: string): Sql {
    return sql`CAST(${param(value)} AS ${raw(type)})`;
  }

  override literal(v: LiteralValue): Sql {
    switch (v.type) {
      case 'number':
        // Whole numbers as bigint keep integer columns comparable through their indexes.
        return /^-?\d+$/.test(v.text) && BigInt(v.text) < INT64_LIMIT && BigInt(v.text) > -INT64_LIMIT
          ? this.p(v.text, 'bigint')
          : this.p(v.text, this.numericType);
      case 'string': return this.p(v.value, this.textType);
      case 'boolean': return this.p(v.value ? 'true' : 'false', 'boolean');
      case 'date': return this.p(v.value, 'date');
      case 'timestamp': return this.p(new Date(v.ms).toISOString(), 'timestamptz');
      case 'null': return raw('NULL');
    }
  }

  override column(ref: Sql, column: SourceColumn): Sql {
    return column.type === 'timestamp' ? sql`CAST(${ref} AS timestamptz)` : ref;
  }

  override formatDate(e: Sql): Sql {
    return sql`to_char(${e}, 'YYYY-MM-DD')`;
  }
  override formatTimestamp(e: Sql): Sql {
    return sql`to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }

  protected num(x: Sql): Sql {
    return sql`CAST(${x} AS ${raw(this.numericType)})`;
  }
  override arith(op: '+' | '-' | '*', l: Sql, r: Sql, left: Expr, right: Expr): Sql {
    const n = (x: Sql, e: Expr) => (e.kind === 'literal' || e.kind === 'arith' ? x : this.num(x));
    return sql`(${n(l, left)} ${raw(op)} ${n(r, right)})`;
  }
  override divide(l: Sql, r: Sql): Sql {
    return sql`(${this.num(l)} / NULLIF(${this.num(r)}, 0))`;
  }
  override modulo(l: Sql, r: Sql): Sql {
    return sql`MOD(${this.num(l)}, NULLIF(${this.num(r)}, 0))`;
  }
  override round(x: Sql, digits: Sql | null): Sql {
    return digits ? sql`ROUND(${this.num(x)}, ${this.toInt(digits)})` : sql`ROUND(${this.num(x)})`;
  }
  override numberToText(x: Sql): Sql {
    return sql`CAST(trim_scale(${this.num(x)}) AS text)`;
  }
  override floor(x: Sql): Sql {
    return sql`FLOOR(${this.num(x)})`;
  }
  override ceil(x: Sql): Sql {
    return sql`CEIL(${this.num(x)})`;
  }

  override textOrder(e: Sql): Sql {
    return sql`(${e} COLLATE "C")`;
  }
  override trimSpaces(x: Sql): Sql {
    return sql`BTRIM(${x}, ' ')`;
  }
  override position(haystack: Sql, needle: Sql): Sql {
    return sql`STRPOS(${haystack}, ${needle})`;
  }

  override aggregate(fn: Parameters<DefaultCompiler['aggregate']>[0], x: Sql | null, type: Parameters<DefaultCompiler['aggregate']>[2]): Sql {
    // PostgreSQL has no MIN/MAX of booleans; false < true, so they are "all" and "any".
    if (x && type === 'boolean' && (fn === 'min' || fn === 'max')) return fn === 'min' ? sql`BOOL_AND(${x})` : sql`BOOL_OR(${x})`;
    return super.aggregate(fn, x, type);
  }
  override orderDirection(dir: 'asc' | 'desc'): Sql {
    return raw(dir === 'asc' ? ' ASC NULLS FIRST' : ' DESC NULLS LAST');
  }

  override instantConstant(epochSeconds: number): Sql {
    const iso = new Date(epochSeconds * 1000).toISOString().replace('T', ' ').replace('.000Z', '+00');
    return raw(`TIMESTAMPTZ '${iso}'`);
  }
  override localTimestamp(ts: Sql, offset: Sql | number): Sql {
    const utc = sql`(${ts} AT TIME ZONE 'UTC')`;
    return offset === 0 ? utc : sql`(${utc} + ${typeof offset === 'number' ? int(offset) : offset} * INTERVAL '1 second')`;
  }
  override localTimestampDate(local: Sql): Sql {
    return sql`CAST(${local} AS date)`;
  }
  override truncDate(d: Sql, unit: 'year' | 'quarter' | 'month' | 'week' | 'day'): Sql {
    if (unit === 'day') return d;
    return sql`CAST(DATE_TRUNC(${raw(`'${unit}'`)}, CAST(${d} AS timestamp)) AS date)`;
  }
  override hourBucket(ts: Sql, remainder: Sql | number): Sql {
    if (remainder === 0) return sql`(DATE_TRUNC('hour', ${ts} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
    const shift = sql`${typeof remainder === 'number' ? int(remainder) : remainder} * INTERVAL '1 second'`;
    return sql`((DATE_TRUNC('hour', (${ts} AT TIME ZONE 'UTC') + ${shift}) - ${shift}) AT TIME ZONE 'UTC')`;
  }
  override datePart(d: Sql, part: 'year' | 'month' | 'day'): Sql {
    return sql`CAST(EXTRACT(${raw(part.toUpperCase())} FROM ${d}) AS integer)`;
  }
  override daysBetween(a: Sql, b: Sql): Sql {
    return sql`(CAST(${b} AS date) - CAST(${a} AS date))`;
  }
  override elapsedWhole(a: Sql, b: Sql, unitSeconds: number): Sql {
    return sql`CAST(TRUNC(EXTRACT(EPOCH FROM (${b} - ${a})) / ${unitSeconds}) AS bigint)`;
  }
  override intDiv(a: Sql, n: number): Sql {
    return sql`(${a} / ${n})`;
  }
  override dateAsInstant(d: Sql): Sql {
    return sql`(CAST(${d} AS timestamp) AT TIME ZONE 'UTC')`;
  }
}
