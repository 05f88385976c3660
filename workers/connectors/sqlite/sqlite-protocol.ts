/**
 * Messages between a SQLite connector and its child process. Values cross the process
 * boundary with Node's structured-clone ("advanced") serialization.
 */
export type SqliteValue = string | number | bigint | Buffer | null;

/** Where the child finds the compiler's SQL functions: function values cannot be sent. */
export interface SqliteFunctionsModule {
  /** A file URL (or package name) the child imports. */
  moduleUrl: string;
  /** The export holding a record of deterministic functions, by SQL name. */
  exportName: string;
}

export type ParentMessage =
  | { t: 'open'; file: string; functions: SqliteFunctionsModule | null }
  | { t: 'query'; id: number; sql: string; params: SqliteValue[]; chunkSize: number; readOnly: boolean }
  | { t: 'pull'; id: number }
  | { t: 'close'; id: number }
  | { t: 'describe'; id: number; sql: string };

export interface DescribedColumn {
  name: string;
  declaredType: string | null;
}

export type ChildMessage =
  | { t: 'ready'; version: string }
  | { t: 'rows'; id: number; rows: SqliteValue[][]; done: boolean }
  | { t: 'closed'; id: number }
  | { t: 'described'; id: number; columns: DescribedColumn[]; sample: SqliteValue[] | null }
  | { t: 'error'; id: number | null; code: string; message: string };

/** Errors the child finds itself, before SQLite does. */
export const NOT_READ_ONLY = 'SIGHTLINE_NOT_READ_ONLY';
export const NOT_A_QUERY = 'SIGHTLINE_NOT_A_QUERY';
