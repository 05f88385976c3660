/**
 * The JSON query a datasource answers (docs/query-language.md). The server validates every
 * query; these types catch typos and wrong shapes while writing one.
 */

export type Granularity = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour';

export type Dimension = string | { field: string; granularity?: Granularity; as?: string };

export type Measure =
  | { agg: 'count'; field?: string; as?: string }
  | { agg: 'count_distinct' | 'sum' | 'avg' | 'min' | 'max'; field: string; as?: string }
  | { formula: string; as?: string };

export type FilterValue = string | number | boolean;

export type Filter =
  | { field: string; op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'starts_with'; value: FilterValue }
  | { field: string; op: 'in' | 'not_in'; values: readonly FilterValue[] }
  | { field: string; op: 'between'; values: readonly [FilterValue, FilterValue] }
  | { field: string; op: 'is_null' | 'is_not_null' }
  | { and: readonly Filter[] }
  | { or: readonly Filter[] }
  | { not: Filter };

export interface OrderBy {
  field: string;
  dir?: 'asc' | 'desc';
}

export interface Query {
  dimensions?: readonly Dimension[];
  measures?: readonly Measure[];
  filters?: readonly Filter[];
  having?: readonly Filter[];
  orderBy?: readonly OrderBy[];
  limit?: number;
  offset?: number;
  /** An IANA name; `UTC` when omitted. */
  timezone?: string;
}

/** A column of a result: `string`, `number`, `boolean`, `date` (`YYYY-MM-DD`) or `timestamp` (ISO-8601, UTC). */
export interface ResultColumn {
  name: string;
  type: string;
}
