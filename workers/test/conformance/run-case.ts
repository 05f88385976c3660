import { compileQuery, createRowDecoder, QueryError } from '../../../query/index';
import type { CompiledQuery, Dialect, FormulaDef, OutputColumn, RawValue, SourceColumn } from '../../../query/types';
import type { Connector } from '../../connectors/types';
import type { Cell, ExpectedError, ExpectedRows } from './case';

export type Outcome =
  | { kind: 'rows'; columns: OutputColumn[]; rows: Cell[][]; truncated: boolean }
  | { kind: 'error'; code: string; message: string; path?: string; formula?: string; position?: { start: number; end: number } };

export interface RunInput {
  dialect: Dialect;
  table: string;
  columns: SourceColumn[];
  formulas?: FormulaDef[];
  query: unknown;
  maxRows?: number;
}

/** Compiles; a `QueryError` is an outcome, anything else a failure of the test. */
export function compile(input: RunInput): CompiledQuery | Outcome {
  try {
    return compileQuery({
      dialect: input.dialect,
      source: { kind: 'table', table: input.table },
      columns: input.columns,
      formulas: input.formulas ?? [],
      query: input.query,
      ...(input.maxRows === undefined ? {} : { maxRows: input.maxRows }),
    });
  } catch (err) {
    if (err instanceof QueryError) {
      return {
        kind: 'error',
        code: err.code,
        message: err.message,
        ...(err.path === undefined ? {} : { path: err.path }),
        ...(err.formula === undefined ? {} : { formula: err.formula }),
        ...(err.position === undefined ? {} : { position: err.position }),
      };
    }
    throw err;
  }
}

/** Compiles, runs read-only through the connector and decodes, as a worker does. */
export async function runQuery(connector: Connector, input: RunInput): Promise<Outcome> {
  const compiled = compile(input);
  if ('kind' in compiled) return compiled;
  const raw: RawValue[][] = [];
  for await (const chunk of connector.execute(compiled.sql, compiled.params, { readOnly: true, timeoutMs: 30_000 })) raw.push(...chunk);
  const truncated = compiled.detectTruncationAt !== null && raw.length >= compiled.detectTruncationAt;
  const decode = createRowDecoder(compiled.dialect, compiled.columns);
  const rows = raw.slice(0, compiled.rowLimit).map((r) => decode(r) as Cell[]);
  return { kind: 'rows', columns: compiled.columns, rows, truncated };
}

function sameCell(got: Cell, want: Cell, tolerance: number | undefined): boolean {
  if (typeof got === 'number' && typeof want === 'number') {
    // JSON has no negative zero: -0 and 0 are the same output.
    if (got === want) return true;
    if (tolerance === undefined) return false;
    return Math.abs(got - want) <= tolerance * Math.max(1, Math.abs(want));
  }
  return got === want;
}

function sortKey(row: Cell[]): string {
  return JSON.stringify(row);
}

/** Why `got` is not `want`, or null when they match. */
export function mismatch(got: Outcome, want: ExpectedRows | ExpectedError): string | null {
  if ('error' in want) {
    if (got.kind !== 'error') return `expected error ${want.error}, got ${got.rows.length} rows: ${JSON.stringify(got.rows.slice(0, 5))}`;
    if (got.code !== want.error) return `expected error ${want.error}, got ${got.code}: ${got.message}`;
    if (want.path !== undefined && !(got.path ?? '').startsWith(want.path)) return `expected the error at ${want.path}, got ${String(got.path)}: ${got.message}`;
    if (want.formula !== undefined && got.formula !== want.formula) return `expected the error to name formula ${want.formula}, got ${String(got.formula)}: ${got.message}`;
    if (want.position && got.position === undefined) return `expected a position in the formula: ${got.message}`;
    const missing = (want.mentions ?? []).filter((w) => !got.message.includes(w));
    if (missing.length > 0) return `expected the message to mention ${missing.join(', ')}: ${got.message}`;
    return null;
  }
  if (got.kind === 'error') return `expected rows, got error ${got.code}: ${got.message}`;
  if (want.columns && JSON.stringify(got.columns) !== JSON.stringify(want.columns)) {
    return `columns differ: got ${JSON.stringify(got.columns)}, expected ${JSON.stringify(want.columns)}`;
  }
  const gotRows = want.unordered ? [...got.rows].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)) : got.rows;
  const wantRows = want.unordered ? [...want.rows].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)) : want.rows;
  const differs =
    gotRows.length !== wantRows.length ||
    gotRows.some((row, i) => {
      const w = wantRows[i] ?? [];
      return row.length !== w.length || row.some((cell, j) => !sameCell(cell, w[j] ?? null, want.tolerance));
    });
  if (want.truncated !== undefined && got.truncated !== want.truncated) return `expected truncated: ${want.truncated}, got ${got.truncated}`;
  if (differs) return `rows differ:\n  got      ${JSON.stringify(gotRows)}\n  expected ${JSON.stringify(wantRows)}`;
  return null;
}
