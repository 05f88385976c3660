/**
 * The types every part of Sightline shares with the query engine. The engine itself is pure:
 * JSON query + introspected columns + formulas in, SQL + parameters out.
 */

/** SQL dialects the compiler emits. Redshift is a PostgreSQL flavour. */
export type Dialect = 'postgres' | 'mysql' | 'sqlite' | 'redshift';

/** The platform's field types, as in the query-language output contract. */
export type FieldType = 'string' | 'number' | 'boolean' | 'date' | 'timestamp';

/** A column as introspected from the datasource. `nativeType` is the database's own name. */
export interface SourceColumn {
  name: string;
  type: FieldType;
  nativeType: string;
}

/** A formula defined on a datasource. */
export interface FormulaDef {
  name: string;
  expression: string;
}

/** What a query runs against: a table or view, or a user's SELECT wrapped as a subquery. */
export type SourceRef =
  | { kind: 'table'; schema?: string; table: string }
  | { kind: 'sql'; sql: string };

/** One column of a result. */
export interface OutputColumn {
  name: string;
  type: FieldType;
}

/** A raw value as a driver hands it back, before decoding to the output contract. */
export type RawValue = string | number | bigint | boolean | Buffer | Date | null;

/** Stable error codes of the query language (query-language.md, "Errors"). */
export type QueryErrorCode =
  | 'UNKNOWN_FIELD'
  | 'FORMULA_SYNTAX'
  | 'FORMULA_CYCLE'
  | 'TYPE_MISMATCH'
  | 'INVALID_QUERY';

/** A bound parameter value, in the form the dialect's driver expects. */
export type SqlParam = string | number | boolean | null;

/**
 * A query compiled for one dialect. Rows come back positionally, in the order of `columns`:
 * no name of a query or formula is ever written into the SQL, not even as an alias.
 */
export interface CompiledQuery {
  dialect: Dialect;
  sql: string;
  params: SqlParam[];
  columns: OutputColumn[];
  /** The most rows the result may hold (the query's `limit`, capped by the server maximum). */
  rowLimit: number;
  /**
   * Set when the server maximum cut the requested limit: the SQL then fetches one row more
   * than `rowLimit`, and receiving `detectTruncationAt` rows means the result was cut, so the
   * runner returns the first `rowLimit` rows with `truncated: true`. Null when no cut applies.
   */
  detectTruncationAt: number | null;
}
