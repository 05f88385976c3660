/**
 * The default compiler: walks the IR with one handler per node kind and asks the dialect for
 * everything databases disagree on, through the hooks below. A dialect overrides hooks only.
 */
import type { Granularity } from '../validate/query-spec';
import type { SourceColumn } from '../types';
import { decimalScale } from '../formula/numbers';
import type {
  AggregateFn, ArithOp, CompareOp, Expr, ExprKind, ExprOf, FromNode, LiteralValue, ScalarFn, SelectNode, ValueType,
} from '../plan/nodes';
import { zoneSteps } from '../time/zone';
import { ident, int, join, raw, render, sql, type Renderer, type Sql } from './sql-fragment';

/** Which value a UTC-offset lookup yields per instant. */
export type OffsetLeaf = 'offset' | 'hour_remainder';

export interface CompileOptions {
  /** Canonical IANA zone of the query. */
  zone: string;
}

const COMPARE_SQL: Record<CompareOp, string> = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };

export abstract class DefaultCompiler implements Renderer {
  constructor(protected readonly options: CompileOptions) {}

  // ---- identifiers and parameters -------------------------------------------------------

  quoteIdentifier(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  placeholder(_index: number): string {
    return '?';
  }

  /** A constant as a bound parameter, typed so the database reads it as its platform type. */
  abstract literal(value: LiteralValue): Sql;

  // ---- columns, output form -------------------------------------------------------------

  /** A source column in its internal form (timestamps as instants, text in binary order). */
  column(ref: Sql, _column: SourceColumn): Sql {
    return ref;
  }

  abstract formatDate(e: Sql): Sql;
  abstract formatTimestamp(e: Sql): Sql;

  // ---- numbers --------------------------------------------------------------------------

  arith(op: '+' | '-' | '*', l: Sql, r: Sql, _left: Expr, _right: Expr): Sql {
    return sql`(${l} ${raw(op)} ${r})`;
  }
  abstract divide(l: Sql, r: Sql): Sql;
  abstract modulo(l: Sql, r: Sql): Sql;
  abstract round(x: Sql, digits: Sql | null): Sql;
  abstract numberToText(x: Sql): Sql;
  toInt(x: Sql): Sql {
    return sql`CAST(${x} AS INTEGER)`;
  }
  greatest(a: Sql, b: Sql): Sql {
    return sql`GREATEST(${a}, ${b})`;
  }
  floor(x: Sql): Sql {
    return sql`FLOOR(${x})`;
  }
  ceil(x: Sql): Sql {
    return sql`CEIL(${x})`;
  }

  // ---- text -----------------------------------------------------------------------------

  /** Text in binary (code point) order for <, >, ORDER BY, MIN and MAX. */
  textOrder(e: Sql): Sql {
    return e;
  }
  upper(x: Sql): Sql {
    return sql`UPPER(${x})`;
  }
  lower(x: Sql): Sql {
    return sql`LOWER(${x})`;
  }
  charLength(x: Sql): Sql {
    return sql`LENGTH(${x})`;
  }
  trimSpaces(x: Sql): Sql {
    return sql`TRIM(${x}, ' ')`;
  }
  substr(s: Sql, start: Sql, length: Sql | null): Sql {
    return length ? sql`SUBSTR(${s}, ${start}, ${length})` : sql`SUBSTR(${s}, ${start})`;
  }
  /** 1-based position of `needle` in `haystack`, 0 when absent, case-sensitive. */
  abstract position(haystack: Sql, needle: Sql): Sql;
  concat(parts: Sql[]): Sql {
    return sql`(${join(parts, ' || ')})`;
  }
  booleanToText(x: Sql): Sql {
    return sql`CASE WHEN ${x} THEN 'true' WHEN NOT ${x} THEN 'false' END`;
  }

  // ---- aggregates and ordering ----------------------------------------------------------

  aggregate(fn: AggregateFn, x: Sql | null, type: ValueType): Sql {
    if (!x) return raw('COUNT(*)');
    switch (fn) {
      case 'count': return sql`COUNT(${x})`;
      case 'count_distinct': return sql`COUNT(DISTINCT ${x})`;
      case 'sum': return sql`SUM(${x})`;
      case 'avg': return sql`AVG(${x})`;
      case 'min': case 'max': {
        const arg = type === 'string' ? this.textOrder(x) : x;
        return fn === 'min' ? sql`MIN(${arg})` : sql`MAX(${arg})`;
      }
    }
  }

  /** NULLs first ascending, last descending. MySQL and SQLite do that by default. */
  orderDirection(dir: 'asc' | 'desc'): Sql {
    return raw(dir === 'asc' ? ' ASC' : ' DESC');
  }

  // ---- time -----------------------------------------------------------------------------

  /** A constant instant (whole seconds since the epoch) comparable with internal timestamps. */
  abstract instantConstant(epochSeconds: number): Sql;
  /** Wall-clock time of an instant, given its UTC offset in seconds. */
  abstract localTimestamp(ts: Sql, offset: Sql | number): Sql;
  /** The calendar date of a wall-clock time from localTimestamp. */
  abstract localTimestampDate(local: Sql): Sql;
  /** First day of the date's year/quarter/month/ISO week; `day` is the date itself. */
  abstract truncDate(d: Sql, unit: Exclude<Granularity, 'hour'>): Sql;
  /** The instant a local hour began, given the offset's remainder in the hour (seconds). */
  abstract hourBucket(ts: Sql, remainder: Sql | number): Sql;
  abstract datePart(d: Sql, part: 'year' | 'month' | 'day'): Sql;
  /** `b − a` in days, both dates. */
  abstract daysBetween(a: Sql, b: Sql): Sql;
  /** Whole `unitSeconds` elapsed from `a` to `b` (instants), toward zero. */
  abstract elapsedWhole(a: Sql, b: Sql, unitSeconds: number): Sql;
  /** Integer division toward zero of an integer by a positive constant. */
  abstract intDiv(a: Sql, n: number): Sql;
  /** A date as the instant of its midnight UTC (date-only values are never shifted). */
  abstract dateAsInstant(d: Sql): Sql;

  /**
   * The UTC offset of the query's zone at `ts` (or its remainder in the hour), from the
   * platform's transition table: a balanced CASE over the instants where it changes, so a row
   * costs about log2(transitions) comparisons. A number when it is the same throughout.
   */
  utcOffset(ts: Sql, leaf: OffsetLeaf): Sql | number {
    const steps = zoneSteps(this.options.zone);
    const value = (o: number) => (leaf === 'offset' ? o : ((o % 3600) + 3600) % 3600);
    const at: number[] = [];
    const values: number[] = [value(steps.offsets[0]!)];
    steps.at.forEach((t, i) => {
      const v = value(steps.offsets[i + 1]!);
      if (v !== values[values.length - 1]) {
        at.push(t);
        values.push(v);
      }
    });
    if (values.length === 1) return values[0]!;
    const build = (lo: number, hi: number): Sql => {
      if (lo === hi) return int(values[lo]!);
      const mid = (lo + hi + 1) >> 1;
      return sql`CASE WHEN ${ts} < ${this.instantConstant(at[mid - 1]!)} THEN ${build(lo, mid - 1)} ELSE ${build(mid, hi)} END`;
    };
    return build(0, values.length - 1);
  }

  localDate(ts: Sql): Sql {
    return this.localTimestampDate(this.localTimestamp(ts, this.utcOffset(ts, 'offset')));
  }

  // ---- the walk -------------------------------------------------------------------------

  compile(select: SelectNode): { sql: string; params: ReturnType<typeof render>['params'] } {
    return render(this.select(select), this);
  }

  select(s: SelectNode): Sql {
    const cols = s.columns.length > 0
      ? join(s.columns.map((c) => sql`${this.expr(c.expr)} AS ${ident(c.alias)}`))
      : raw('1');
    const parts: Sql[] = [sql`SELECT ${cols} FROM ${this.from(s.from)} AS ${ident(s.fromAlias)}`];
    if (s.where) parts.push(sql`WHERE ${this.expr(s.where)}`);
    if (s.groupBy.length > 0) parts.push(sql`GROUP BY ${join(s.groupBy.map((g) => this.expr(g)))}`);
    if (s.orderBy.length > 0) {
      parts.push(sql`ORDER BY ${join(s.orderBy.map((o) => {
        const e = this.expr(o.expr);
        return sql`${o.expr.type === 'string' ? this.textOrder(e) : e}${this.orderDirection(o.dir)}`;
      }))}`);
    }
    if (s.limit !== null) parts.push(sql`LIMIT ${s.limit}`);
    if (s.offset > 0) parts.push(sql`OFFSET ${s.offset}`);
    return join(parts, ' ');
  }

  from(f: FromNode): Sql {
    switch (f.kind) {
      case 'table':
        return f.schema !== undefined ? sql`${ident(f.schema)}.${ident(f.table)}` : ident(f.table);
      case 'custom_sql':
        return this.customSql(f.sql);
      case 'subquery':
        return sql`(${this.select(f.select)})`;
    }
  }

  /**
   * The datasource's own SELECT (trusted, run read-only by the connector), wrapped as a
   * subquery. A trailing `;` is dropped and the newline keeps a trailing `--` comment closed.
   */
  customSql(text: string): Sql {
    return raw(`(\n${text.replace(/[\s;]+$/, '')}\n)`);
  }

  expr(e: Expr): Sql {
    const handler = this.handlers[e.kind] as (n: Expr) => Sql;
    return handler(e);
  }

  private readonly handlers: { [K in ExprKind]: (e: ExprOf<K>) => Sql } = {
    column: (e) => this.column(sql`${ident('src')}.${ident(e.column.name)}`, e.column),
    inner: (e) => ident(e.alias),
    literal: (e) => (e.value.type === 'null' ? raw('NULL') : this.literal(e.value)),
    arith: (e) => this.arithmetic(e.op, e.left, e.right),
    negate: (e) => sql`(- ${this.expr(e.operand)})`,
    compare: (e) => {
      const t = e.left.type === 'null' ? e.right.type : e.left.type;
      let l = this.expr(e.left), r = this.expr(e.right);
      if (t === 'string' && e.op !== 'eq' && e.op !== 'neq') {
        l = this.textOrder(l);
        r = this.textOrder(r);
      }
      return sql`(${l} ${raw(COMPARE_SQL[e.op])} ${r})`;
    },
    logical: (e) => sql`(${join(e.operands.map((o) => this.expr(o)), e.op === 'and' ? ' AND ' : ' OR ')})`,
    not: (e) => sql`(NOT ${this.expr(e.operand)})`,
    is_null: (e) => sql`(${this.expr(e.operand)} ${raw(e.negated ? 'IS NOT NULL' : 'IS NULL')})`,
    in: (e) => sql`(${this.expr(e.operand)} ${raw(e.negated ? 'NOT IN' : 'IN')} (${join(e.values.map((v) => this.expr(v)))}))`,
    between: (e) => {
      const o = this.expr(e.operand);
      return sql`(${e.operand.type === 'string' ? this.textOrder(o) : o} BETWEEN ${this.expr(e.low)} AND ${this.expr(e.high)})`;
    },
    text_match: (e) => {
      const pos = this.position(this.expr(e.operand), this.expr(e.pattern));
      return e.mode === 'contains' ? sql`(${pos} > 0)` : sql`(${pos} = 1)`;
    },
    call: (e) => this.call(e.fn, e.args),
    date_trunc: (e) => this.dateTrunc(e.unit, e.operand),
    date_diff: (e) => this.dateDiff(e.unit, e.start, e.end),
    aggregate: (e) => this.aggregate(e.fn, e.operand ? this.expr(e.operand) : null, e.operand?.type ?? 'number'),
    output: (e) => {
      const x = this.expr(e.operand);
      if (e.type === 'date') return this.formatDate(x);
      if (e.type === 'timestamp') return this.formatTimestamp(x);
      return x;
    },
  };

  private arithmetic(op: ArithOp, left: Expr, right: Expr): Sql {
    const l = this.expr(left), r = this.expr(right);
    if (op === '/') return this.divide(l, r);
    if (op === '%') return this.modulo(l, r);
    return this.arith(op, l, r, left, right);
  }

  private call(fn: ScalarFn, argExprs: readonly Expr[]): Sql {
    const args = argExprs.map((a) => this.expr(a));
    const a = args[0]!;
    switch (fn) {
      case 'if': return sql`CASE WHEN ${a} THEN ${args[1]!} ELSE ${args[2]!} END`;
      case 'coalesce': return sql`COALESCE(${join(args)})`;
      case 'nullif': return sql`NULLIF(${a}, ${args[1]!})`;
      case 'abs': return sql`ABS(${a})`;
      case 'round': return this.round(a, args[1] ?? null);
      case 'floor': return this.floor(a);
      case 'ceil': return this.ceil(a);
      case 'lower': return this.lower(a);
      case 'upper': return this.upper(a);
      case 'length': return this.charLength(a);
      case 'trim': return this.trimSpaces(a);
      case 'substr': {
        // SQL standard: characters from `start` to `start + length - 1`, clipped to the string.
        const start = this.toInt(args[1]!);
        const from = this.greatest(start, int(1));
        if (!args[2]) return this.substr(a, from, null);
        const len = this.toInt(args[2]);
        return sql`CASE WHEN ${len} < 0 THEN NULL ELSE ${this.substr(a, from, this.greatest(sql`${start} + ${len} - ${from}`, int(0)))} END`;
      }
      case 'concat': return this.concat(argExprs.map((x, i) => sql`COALESCE(${this.toText(args[i]!, x.type)}, '')`));
      case 'year': case 'month': case 'day': return this.datePart(this.asDate(a, argExprs[0]!.type), fn);
    }
  }

  private toText(x: Sql, type: ValueType): Sql {
    switch (type) {
      case 'string': return x;
      case 'null': return raw("''");
      case 'number': return this.numberToText(x);
      case 'boolean': return this.booleanToText(x);
      case 'date': return this.formatDate(x);
      case 'timestamp': return this.formatTimestamp(x);
    }
  }

  /** A date, or the local calendar date of a timestamp in the query's zone. */
  private asDate(x: Sql, type: ValueType): Sql {
    return type === 'timestamp' ? this.localDate(x) : x;
  }

  private dateTrunc(unit: Granularity, operand: Expr): Sql {
    const x = this.expr(operand);
    if (unit === 'hour') return this.hourBucket(x, this.utcOffset(x, 'hour_remainder'));
    const d = this.asDate(x, operand.type);
    return unit === 'day' ? d : this.truncDate(d, unit);
  }

  private dateDiff(unit: ExprOf<'date_diff'>['unit'], startExpr: Expr, endExpr: Expr): Sql {
    const s = this.expr(startExpr), e = this.expr(endExpr);
    switch (unit) {
      case 'day': case 'week': {
        const days = this.daysBetween(this.asDate(s, startExpr.type), this.asDate(e, endExpr.type));
        return unit === 'day' ? days : this.intDiv(days, 7);
      }
      case 'month': case 'year': {
        const sd = this.asDate(s, startExpr.type), ed = this.asDate(e, endExpr.type);
        const years = sql`(${this.datePart(ed, 'year')} - ${this.datePart(sd, 'year')})`;
        if (unit === 'year') return years;
        return sql`(${years} * 12 + ${this.datePart(ed, 'month')} - ${this.datePart(sd, 'month')})`;
      }
      case 'hour': case 'minute': case 'second': {
        const inst = (x: Sql, t: ValueType) => (t === 'date' ? this.dateAsInstant(x) : x);
        const seconds = unit === 'hour' ? 3600 : unit === 'minute' ? 60 : 1;
        return this.elapsedWhole(inst(s, startExpr.type), inst(e, endExpr.type), seconds);
      }
    }
  }
}

/** Digits after the point of a number literal, capped for DECIMAL types. */
export function literalScale(text: string): number {
  return Math.min(decimalScale(text), 30);
}
