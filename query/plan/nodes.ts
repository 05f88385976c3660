/**
 * The intermediate representation: frozen, typed nodes with a `kind`. The planner builds them
 * from a checked query; the compiler walks them. Every kind has exactly one compiler handler
 * (a Record keyed by kind), so a new kind that is not compiled is a type error.
 */
import type { FieldType, SourceColumn } from '../types';
import type { Granularity } from '../validate/query-spec';

/** A value's type; `null` is the type of the NULL literal, compatible with every other. */
export type ValueType = FieldType | 'null';

export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type CompareOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte';
export type AggregateFn = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'count_distinct';
export type DiffUnit = 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';
export type ScalarFn =
  | 'if' | 'coalesce' | 'nullif' | 'abs' | 'round' | 'floor' | 'ceil' | 'lower' | 'upper'
  | 'length' | 'trim' | 'substr' | 'concat' | 'year' | 'month' | 'day';

/**
 * A constant. Numbers keep their decimal text so they stay exact; timestamps are instants in
 * ms since the epoch; dates are `YYYY-MM-DD`.
 */
export type LiteralValue =
  | { type: 'number'; text: string }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'date'; value: string }
  | { type: 'timestamp'; ms: number }
  | { type: 'null' };

export type Expr =
  | { readonly kind: 'column'; readonly type: ValueType; readonly column: SourceColumn }
  /** A column of the enclosing query's subquery, by its internal alias. */
  | { readonly kind: 'inner'; readonly type: ValueType; readonly alias: string }
  | { readonly kind: 'literal'; readonly type: ValueType; readonly value: LiteralValue }
  | { readonly kind: 'arith'; readonly type: ValueType; readonly op: ArithOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'negate'; readonly type: ValueType; readonly operand: Expr }
  | { readonly kind: 'compare'; readonly type: ValueType; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'logical'; readonly type: ValueType; readonly op: 'and' | 'or'; readonly operands: readonly Expr[] }
  | { readonly kind: 'not'; readonly type: ValueType; readonly operand: Expr }
  | { readonly kind: 'is_null'; readonly type: ValueType; readonly operand: Expr; readonly negated: boolean }
  | { readonly kind: 'in'; readonly type: ValueType; readonly operand: Expr; readonly values: readonly Expr[]; readonly negated: boolean }
  | { readonly kind: 'between'; readonly type: ValueType; readonly operand: Expr; readonly low: Expr; readonly high: Expr }
  | { readonly kind: 'text_match'; readonly type: ValueType; readonly mode: 'contains' | 'starts_with'; readonly operand: Expr; readonly pattern: Expr }
  | { readonly kind: 'call'; readonly type: ValueType; readonly fn: ScalarFn; readonly args: readonly Expr[] }
  | { readonly kind: 'date_trunc'; readonly type: ValueType; readonly unit: Granularity; readonly operand: Expr }
  | { readonly kind: 'date_diff'; readonly type: ValueType; readonly unit: DiffUnit; readonly start: Expr; readonly end: Expr }
  | { readonly kind: 'aggregate'; readonly type: ValueType; readonly fn: AggregateFn; readonly operand: Expr | null }
  /** Turns an internal value into the output contract's canonical form (dates, timestamps). */
  | { readonly kind: 'output'; readonly type: ValueType; readonly operand: Expr };

export type ExprKind = Expr['kind'];
export type ExprOf<K extends ExprKind> = Extract<Expr, { kind: K }>;

export type FromNode =
  | { readonly kind: 'table'; readonly schema?: string; readonly table: string }
  | { readonly kind: 'custom_sql'; readonly sql: string }
  | { readonly kind: 'subquery'; readonly select: SelectNode };

export interface OrderItem {
  readonly expr: Expr;
  readonly dir: 'asc' | 'desc';
}

export interface SelectNode {
  readonly kind: 'select';
  readonly columns: readonly { readonly expr: Expr; readonly alias: string }[];
  readonly from: FromNode;
  /** Alias of the FROM item: column and inner references resolve against it. */
  readonly fromAlias: string;
  readonly where: Expr | null;
  readonly groupBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly limit: number | null;
  readonly offset: number;
}

/** Builds a frozen node; nodes are shared between formulas that reference each other. */
export function node<T extends Expr>(n: T): T {
  return Object.freeze(n);
}

export function literal(value: LiteralValue): ExprOf<'literal'> {
  return node({ kind: 'literal', type: value.type, value: Object.freeze(value) });
}
