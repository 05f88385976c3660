import type { FieldType, FormulaDef } from '../../../query/types';

/** A decoded output value, as the query-language output contract writes it. */
export type Cell = string | number | boolean | null;

export interface ExpectedRows {
  columns?: { name: string; type: FieldType }[];
  rows: Cell[][];
  /**
   * Relative tolerance for numbers. Only where the contract itself lets float noise in (avg,
   * sums or quotients of double columns); everything else compares exactly.
   */
  tolerance?: number;
  /** Raw rows without orderBy come in no particular order. */
  unordered?: boolean;
  /** Whether the server maximum cut the result; unchecked when absent. */
  truncated?: boolean;
}

export type ErrorCode = 'UNKNOWN_FIELD' | 'FORMULA_SYNTAX' | 'FORMULA_CYCLE' | 'TYPE_MISMATCH' | 'INVALID_QUERY';

export interface ExpectedError {
  error: ErrorCode;
  /** Where the error says it is: the JSON path in the query, by prefix. */
  path?: string;
  /** The formula the error names, and whether it gives a position in it. */
  formula?: string;
  position?: boolean;
  /** Words the message must contain (the formulas of a cycle). */
  mentions?: string[];
}

export type TableName = 'core' | 'bulk';

export interface ConformanceCase {
  name: string;
  /** Defaults to `core`. */
  table?: TableName;
  query: unknown;
  formulas?: FormulaDef[];
  /** The server's maximum rows per result, when the case is about it. */
  maxRows?: number;
  expected: ExpectedRows | ExpectedError;
}

export function isErrorCase(expected: ExpectedRows | ExpectedError): expected is ExpectedError {
  return 'error' in expected;
}

/** The filter on a fixture group, which most core cases start from. */
export function inGroup(grp: string): { field: 'grp'; op: 'eq'; value: string } {
  return { field: 'grp', op: 'eq', value: grp };
}

/** `{dimensions: ['id']}` under the given filters: the matching ids, ascending by default order. */
export function idsWhere(name: string, filters: unknown[], ids: number[], extra: Record<string, unknown> = {}): ConformanceCase {
  return {
    name,
    query: { dimensions: ['id'], filters, ...extra },
    expected: { columns: [{ name: 'id', type: 'number' }], rows: ids.map((id) => [id]) },
  };
}

/** One row formula evaluated per row: `[id, formula]` for the given rows. */
export function perRow(
  name: string,
  expression: string,
  type: FieldType,
  rows: [number, Cell][],
  extra: Record<string, unknown> = {},
  tolerance?: number,
): ConformanceCase {
  return {
    name,
    formulas: [{ name: 'f', expression }],
    query: { dimensions: ['id', 'f'], filters: [{ field: 'id', op: 'in', values: rows.map(([id]) => id) }], ...extra },
    expected: {
      columns: [
        { name: 'id', type: 'number' },
        { name: 'f', type },
      ],
      rows: [...rows].sort((a, b) => a[0] - b[0]).map(([id, value]) => [id, value]),
      ...(tolerance === undefined ? {} : { tolerance }),
    },
  };
}

/** A formula of literals only, evaluated once (on the row with id 1). */
export function literal(name: string, expression: string, type: FieldType, value: Cell, tolerance?: number): ConformanceCase {
  return perRow(name, expression, type, [[1, value]], {}, tolerance);
}

export function fails(
  name: string,
  query: unknown,
  error: ErrorCode,
  formulas?: FormulaDef[],
  where: Omit<ExpectedError, 'error'> = {},
): ConformanceCase {
  return { name, query, expected: { error, ...where }, ...(formulas ? { formulas } : {}) };
}
