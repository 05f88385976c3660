import type { RawValue, SourceColumn } from '../../query/types';

export type {
  ConnectionSettings,
  ConnectorKind,
  MysqlSettings,
  PostgresSettings,
  ServerSettings,
  SqliteSettings,
  SslMode,
} from './settings';
export type { ConnectorErrorCode } from './errors';

export interface IntrospectedTable {
  /** `null` where the database has no schemas (SQLite, MySQL: the database is the schema). */
  schema: string | null;
  name: string;
  kind: 'table' | 'view';
  columns: SourceColumn[];
}

export interface Introspection {
  tables: IntrospectedTable[];
}

export interface ExecuteOptions {
  /** Aborting stops the statement in the database and ends the iteration with `CANCELLED`. */
  signal?: AbortSignal;
  /** Rows per yielded chunk; the driver never holds much more than this in memory. */
  chunkSize?: number;
  /** Wall-clock limit for the whole execution, enforced by the server and by us: `TIMEOUT`. */
  timeoutMs?: number;
  /** Runs inside a read-only transaction; a write attempt fails with `READ_ONLY_VIOLATION`. */
  readOnly?: boolean;
  /**
   * The statement itself returns at most this many rows (a LIMIT the caller wrote). A small
   * enough bound lets a connector fetch the whole result in one round trip and hand it out in
   * chunks from memory: PostgreSQL plans parallel workers only for a portal run to completion.
   * Unset for unbounded results, which stream.
   */
  maxRows?: number;
}

/** Above this many rows a bounded result is still streamed, to keep memory per execution low. */
export const MAX_BUFFERED_ROWS = 200_000;

export interface ConnectionTestResult {
  ok: true;
  serverVersion: string;
}

/**
 * One datasource's database. Every method fails only with a `ConnectorError`. Placeholders
 * are `$n` for PostgreSQL/Redshift and `?` for MySQL and SQLite, as the compiler emits them.
 */
export interface Connector {
  readonly kind: 'postgres' | 'redshift' | 'mysql' | 'sqlite';
  testConnection(): Promise<ConnectionTestResult>;
  introspect(): Promise<Introspection>;
  /** Columns of a user's SELECT, found without reading its rows, in a read-only transaction. */
  describeQuery(sql: string): Promise<SourceColumn[]>;
  /** Streams rows as arrays of raw driver values, in chunks of at most `chunkSize`. */
  execute(sql: string, params: readonly RawValue[], options?: ExecuteOptions): AsyncIterable<RawValue[][]>;
  /** Ends every connection; running executions end with `CANCELLED`. */
  close(): Promise<void>;
}

/** Limits of one datasource's pool. */
export interface PoolOptions {
  /** Connections (SQLite: processes) open at once for this datasource. */
  maxConnections: number;
  /** An unused connection is closed after this long. */
  idleTimeoutMs: number;
  /** Giving up on reaching the server after this long: `TIMEOUT`. */
  connectTimeoutMs: number;
}

export const DEFAULT_POOL_OPTIONS: PoolOptions = {
  maxConnections: 5,
  idleTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
};

export const DEFAULT_CHUNK_SIZE = 1000;
