/** The formula functions, by upper-case name: arity, and whether they aggregate. */
import type { AggregateFn, ScalarFn } from '../plan/nodes';

export interface FunctionSpec {
  min: number;
  max: number;
}

export const SCALAR_FUNCTIONS: Record<string, FunctionSpec & { fn: ScalarFn | 'date_trunc' | 'date_diff' }> = {
  IF: { fn: 'if', min: 3, max: 3 },
  COALESCE: { fn: 'coalesce', min: 1, max: Infinity },
  NULLIF: { fn: 'nullif', min: 2, max: 2 },
  ABS: { fn: 'abs', min: 1, max: 1 },
  ROUND: { fn: 'round', min: 1, max: 2 },
  FLOOR: { fn: 'floor', min: 1, max: 1 },
  CEIL: { fn: 'ceil', min: 1, max: 1 },
  CEILING: { fn: 'ceil', min: 1, max: 1 },
  LOWER: { fn: 'lower', min: 1, max: 1 },
  UPPER: { fn: 'upper', min: 1, max: 1 },
  LENGTH: { fn: 'length', min: 1, max: 1 },
  TRIM: { fn: 'trim', min: 1, max: 1 },
  SUBSTR: { fn: 'substr', min: 2, max: 3 },
  SUBSTRING: { fn: 'substr', min: 2, max: 3 },
  CONCAT: { fn: 'concat', min: 1, max: Infinity },
  YEAR: { fn: 'year', min: 1, max: 1 },
  MONTH: { fn: 'month', min: 1, max: 1 },
  DAY: { fn: 'day', min: 1, max: 1 },
  DATE_TRUNC: { fn: 'date_trunc', min: 2, max: 2 },
  DATE_DIFF: { fn: 'date_diff', min: 3, max: 3 },
};

export const AGGREGATE_FUNCTIONS: Record<string, FunctionSpec & { fn: AggregateFn }> = {
  SUM: { fn: 'sum', min: 1, max: 1 },
  AVG: { fn: 'avg', min: 1, max: 1 },
  MIN: { fn: 'min', min: 1, max: 1 },
  MAX: { fn: 'max', min: 1, max: 1 },
  COUNT: { fn: 'count', min: 0, max: 1 },
  COUNT_DISTINCT: { fn: 'count_distinct', min: 1, max: 1 },
};
