/**
 * The query language, pure: JSON query + introspected columns + formulas in, SQL + bound
 * parameters out, plus the decoding of raw driver values. See docs/query-language.md.
 */

/**
 * Compiles a JSON query for one dialect. Throws `QueryError` (codes UNKNOWN_FIELD,
 * FORMULA_SYNTAX, FORMULA_CYCLE, TYPE_MISMATCH, INVALID_QUERY) for bad input.
 * Run `sql` with `params`; rows come back positionally in the order of `columns`; decode them
 * with `createRowDecoder`. See `CompiledQuery` for `rowLimit` and `detectTruncationAt`.
 */
export { compileQuery, type CompileQueryInput } from './compile';

/**
 * Checks one formula against the datasource's columns and other formulas, as saving a formula
 * does: returns its type and whether it aggregates, or throws the `QueryError` a query using it
 * would get.
 */
export { validateFormula, type FormulaInfo } from './compile';

/** The canonical JSON string of a query for cache keys (defaults filled, keys sorted). */
export { normalizeQuery } from './normalize';

/**
 * Raw driver values to the output contract (numbers, integers for counts, `YYYY-MM-DD`,
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, booleans, null). Build once per result, call per row.
 */
export { createRowDecoder, decodeRow, type RowDecoder } from './decode/row-decoder';

/** The error every bad query or formula raises; `toJSON()` is safe to send to clients. */
export { QueryError, type QueryErrorJSON, type SourceSpan } from './errors';

/**
 * Functions the SQLite connector registers on each connection before running compiled SQL:
 * `registerSqliteFunctions(db)` with better-sqlite3, or the `sqliteFunctions` record by hand
 * (`db.function(name, { deterministic: true }, fn)`).
 */
export { sqliteFunctions, registerSqliteFunctions, type SqliteFunctionHost, type SqliteValue } from './dialect/sqlite/sqlite-functions';

/** The registered dialects (for listing them; compileQuery uses it). */
export { dialects, type DialectSpec } from './dialect/registry';

/** Default `limit` of a query and default server maximum of rows. */
export { DEFAULT_LIMIT, DEFAULT_MAX_ROWS } from './validate/query-spec';

/** True when the name is an IANA time zone or link the platform knows; its canonical name. */
export { canonicalZone } from './time/zone';

export type {
  CompiledQuery, Dialect, FieldType, FormulaDef, OutputColumn, QueryErrorCode, RawValue, SourceColumn, SourceRef, SqlParam,
} from './types';
