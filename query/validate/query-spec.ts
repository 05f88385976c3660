/** A query after shape validation: every default filled, every node knows its JSON path. */

export const GRANULARITIES = ['year', 'quarter', 'month', 'week', 'day', 'hour'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const AGGREGATES = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const FILTER_OPS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'between', 'contains', 'starts_with',
  'is_null', 'is_not_null',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export type ScalarValue = string | number | boolean;

export interface DimensionSpec {
  field: string;
  granularity?: Granularity;
  as?: string;
  path: string;
}

export type MeasureSpec =
  | { kind: 'agg'; agg: Aggregate; field?: string; as?: string; path: string }
  | { kind: 'formula'; formula: string; as?: string; path: string };

export type FilterSpec =
  | { kind: 'and' | 'or'; items: FilterSpec[]; path: string }
  | { kind: 'not'; item: FilterSpec; path: string }
  | {
      kind: 'condition';
      field: string;
      op: FilterOp;
      /** One value for comparisons, the list for in/not_in/between, none for is_null. */
      values: ScalarValue[];
      /** Path of each value, for errors. */
      valuePaths: string[];
      path: string;
    };

export interface OrderSpec {
  field: string;
  dir: 'asc' | 'desc';
  path: string;
}

export interface QuerySpec {
  dimensions: DimensionSpec[];
  measures: MeasureSpec[];
  filters: FilterSpec[];
  having: FilterSpec[];
  orderBy: OrderSpec[];
  /** Null when the query gave none: the default then applies. */
  limit: number | null;
  offset: number;
  /** Canonical IANA name. */
  timezone: string;
}

export const DEFAULT_LIMIT = 10_000;
export const DEFAULT_MAX_ROWS = 100_000;
