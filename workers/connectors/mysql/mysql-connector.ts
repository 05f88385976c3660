import type mysql from 'mysql2';
import type { RawValue, SourceColumn } from '../../../query/types';
import { ChunkedReader } from '../chunked-reader';
import { wrapForDescribe } from '../describe-sql';
import { ConnectorError } from '../errors';
import { ExecutionControl } from '../execution-control';
import type { MysqlSettings } from '../settings';
import {
  DEFAULT_CHUNK_SIZE,
  type ConnectionTestResult,
  type Connector,
  type ExecuteOptions,
  type Introspection,
  type PoolOptions,
} from '../types';
import { killMysqlQuery } from './mysql-cancel';
import { createMysqlPool, execute, mysqlConnectionOptions, prepareMysqlSession, query, type MysqlFlavour } from './mysql-driver';
import { mysqlError } from './mysql-errors';
import { introspectMysql } from './mysql-introspector';
import { mysqlFieldType, mysqlNativeTypeOfField } from './mysql-types';

const DESCRIBE_TIMEOUT_MS = 30_000;

/** MySQL and MariaDB: one mysql2 pool per datasource, streamed prepared statements. */
export class MysqlConnector implements Connector {
  readonly kind = 'mysql';
  private readonly pool: mysql.Pool;
  private readonly connectionOptions: mysql.ConnectionOptions;
  private readonly running = new Set<ExecutionControl>();
  private closed = false;

  constructor(
    private readonly settings: MysqlSettings,
    poolOptions: PoolOptions,
  ) {
    this.pool = createMysqlPool(settings, poolOptions);
    this.connectionOptions = mysqlConnectionOptions(settings, poolOptions.connectTimeoutMs);
  }

  async testConnection(): Promise<ConnectionTestResult> {
    return this.withConnection(async (conn) => {
      const rows = await query<[string][]>(conn, 'SELECT VERSION()');
      return { ok: true, serverVersion: rows[0]?.[0] ?? 'unknown' };
    });
  }

  async introspect(): Promise<Introspection> {
    return this.withConnection((conn) => introspectMysql(conn));
  }

  async describeQuery(sql: string): Promise<SourceColumn[]> {
    return this.withConnection(async (conn) => {
      const flavour = await prepareMysqlSession(conn);
      await beginTransaction(conn, true);
      try {
        const text = await withStatementTimeout(conn, flavour, wrapForDescribe(sql), DESCRIBE_TIMEOUT_MS);
        const [, fields] = await execute<unknown>(conn, text);
        return fields.map((field) => {
          const nativeType = mysqlNativeTypeOfField({
            columnType: field.columnType ?? -1,
            columnLength: field.columnLength ?? 0,
            characterSet: field.characterSet ?? 0,
            flags: typeof field.flags === 'number' ? field.flags : 0,
          });
          return { name: field.name, nativeType, type: mysqlFieldType(nativeType) };
        });
      } finally {
        await query(conn, 'ROLLBACK');
      }
    });
  }

  async *execute(sql: string, params: readonly RawValue[], options: ExecuteOptions = {}): AsyncGenerator<RawValue[][]> {
    this.assertOpen();
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const control = new ExecutionControl(options);
    this.running.add(control);
    let conn: mysql.PoolConnection | undefined;
    let reader: ChunkedReader<RawValue[]> | undefined;
    let finished = false;
    try {
      conn = await control.race(getConnection(this.pool), (late) => late.release());
      const flavour = await prepareMysqlSession(conn);
      await beginTransaction(conn, options.readOnly ?? false);
      const text = await withStatementTimeout(conn, flavour, sql, options.timeoutMs);
      const threadId = conn.threadId;
      control.setCanceller(() => killMysqlQuery(this.connectionOptions, threadId));
      control.throwIfStopped();
      const stream = conn.execute({ sql: text, values: [...params], rowsAsArray: true }).stream({ highWaterMark: chunkSize });
      reader = new ChunkedReader<RawValue[]>(stream);
      for (;;) {
        const rows = await reader.next(chunkSize);
        // KILL QUERY on SLEEP() ends it without an error: the stop itself is the outcome.
        control.throwIfStopped();
        if (rows === null) break;
        yield rows;
        control.throwIfStopped();
      }
      reader = undefined;
      control.clearCanceller();
      await query(conn, options.readOnly ? 'ROLLBACK' : 'COMMIT');
      finished = true;
    } catch (err) {
      if (control.stopReason) throw control.stopError();
      throw mysqlError(err, this.settings);
    } finally {
      control.dispose();
      this.running.delete(control);
      if (conn && !finished) await this.cleanUp(conn, control, reader);
      else conn?.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const control of this.running) control.stop('CANCELLED');
    await new Promise<void>((resolve) => this.pool.end(() => resolve()));
  }

  /**
   * A result still arriving is stopped in the server (KILL QUERY) and discarded; the
   * connection is then rolled back and reused, or destroyed if any of that fails.
   */
  private async cleanUp(
    conn: mysql.PoolConnection,
    control: ExecutionControl,
    reader: ChunkedReader<RawValue[]> | undefined,
  ): Promise<void> {
    if (reader && !control.stopReason) control.stop('CANCELLED');
    await control.cancelSettled();
    control.clearCanceller();
    reader?.discard();
    let broken = control.cancelFailed;
    if (!broken) {
      try {
        await withDeadline(query(conn, 'ROLLBACK'), 5_000);
      } catch {
        broken = true;
      }
    }
    if (broken) conn.destroy();
    else conn.release();
  }

  private async withConnection<T>(work: (conn: mysql.PoolConnection) => Promise<T>): Promise<T> {
    this.assertOpen();
    let conn: mysql.PoolConnection | undefined;
    try {
      conn = await getConnection(this.pool);
      await prepareMysqlSession(conn);
      const value = await work(conn);
      conn.release();
      return value;
    } catch (err) {
      conn?.destroy();
      throw mysqlError(err, this.settings);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ConnectorError('CLOSED', 'This datasource connection has been closed');
  }
}

function getConnection(pool: mysql.Pool): Promise<mysql.PoolConnection> {
  return new Promise((resolve, reject) => pool.getConnection((err, conn) => (err ? reject(err) : resolve(conn))));
}

/**
 * Read-only at session level as well as for the transaction: DDL commits the open
 * transaction implicitly and would otherwise run outside it (MariaDB drops the table).
 */
async function beginTransaction(conn: mysql.PoolConnection, readOnly: boolean): Promise<void> {
  await query(conn, readOnly ? 'SET SESSION TRANSACTION READ ONLY' : 'SET SESSION TRANSACTION READ WRITE');
  await query(conn, readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION');
}

/** MariaDB scopes a limit to one statement; MySQL has only a session limit (SELECTs only). */
async function withStatementTimeout(
  conn: mysql.PoolConnection,
  flavour: MysqlFlavour,
  sql: string,
  timeoutMs: number | undefined,
): Promise<string> {
  const ms = timeoutMs !== undefined && timeoutMs > 0 ? Math.ceil(timeoutMs) : 0;
  if (flavour === 'mysql') {
    await query(conn, 'SET SESSION max_execution_time = ?', [ms]);
    return sql;
  }
  if (ms === 0) return sql;
  return `SET STATEMENT max_statement_time=${(ms / 1000).toFixed(3)} FOR ${sql}`;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('deadline')), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
