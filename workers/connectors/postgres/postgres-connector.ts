import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { RawValue, SourceColumn } from '../../../query/types';
import { ExecutionControl } from '../execution-control';
import type { PostgresSettings } from '../settings';
import {
  DEFAULT_CHUNK_SIZE,
  MAX_BUFFERED_ROWS,
  type ConnectionTestResult,
  type Connector,
  type ExecuteOptions,
  type Introspection,
  type PoolOptions,
} from '../types';
import { ConnectorError } from '../errors';
import { cancelPostgresBackend } from './postgres-cancel';
import { RAW_TEXT_TYPES, createPostgresPool, postgresClientConfig, preparePostgresSession } from './postgres-driver';
import { postgresError } from './postgres-errors';
import { introspectPostgres, postgresTypeNames } from './postgres-introspector';
import { postgresFieldType } from './postgres-types';
import { bufferedRows, cursorRows, type PostgresRows } from './postgres-rows';
import { wrapForDescribe } from '../describe-sql';

const DESCRIBE_TIMEOUT_MS = 30_000;

/**
 * PostgreSQL and Redshift: one pg pool per datasource. Bounded results (`maxRows`) are fetched
 * in one go, anything else streams through a cursor.
 */
export class PostgresConnector implements Connector {
  readonly kind: 'postgres' | 'redshift';
  private readonly pool: pg.Pool;
  private readonly clientConfig: pg.ClientConfig;
  private readonly running = new Set<ExecutionControl>();
  private closed = false;

  constructor(
    private readonly settings: PostgresSettings,
    private readonly poolOptions: PoolOptions,
  ) {
    this.kind = settings.kind;
    this.pool = createPostgresPool(settings, poolOptions);
    this.clientConfig = postgresClientConfig(settings, poolOptions.connectTimeoutMs);
  }

  async testConnection(): Promise<ConnectionTestResult> {
    return this.withClient(async (client) => {
      const result = await client.query<[string]>({ text: 'SELECT version()', rowMode: 'array' });
      return { ok: true, serverVersion: result.rows[0]?.[0] ?? 'unknown' };
    });
  }

  async introspect(): Promise<Introspection> {
    return this.withClient((client) => introspectPostgres(client));
  }

  async describeQuery(sql: string): Promise<SourceColumn[]> {
    return this.withClient(async (client) => {
      await client.query('BEGIN READ ONLY');
      try {
        await client.query("SELECT set_config('statement_timeout', $1, true)", [String(DESCRIBE_TIMEOUT_MS)]);
        // A cursor forces the extended protocol: one statement, so the text cannot end the
        // read-only transaction and carry on with a second statement.
        const cursor = client.query(new Cursor(wrapForDescribe(sql), [], { rowMode: 'array', types: RAW_TEXT_TYPES }));
        const fields = await new Promise<pg.FieldDef[]>((resolve, reject) => {
          cursor.read(1, (err, _rows, result) => (err ? reject(err) : resolve(result.fields)));
        });
        await cursor.close();
        const names = await postgresTypeNames(
          client,
          fields.map((f) => f.dataTypeID),
        );
        return fields.map((field) => {
          const known = names.get(field.dataTypeID);
          const nativeType = known?.nativeType ?? `oid ${field.dataTypeID}`;
          return { name: field.name, nativeType, type: postgresFieldType(nativeType, known?.isEnum ?? false) };
        });
      } finally {
        await client.query('ROLLBACK');
      }
    });
  }

  async *execute(sql: string, params: readonly RawValue[], options: ExecuteOptions = {}): AsyncGenerator<RawValue[][]> {
    this.assertOpen();
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const control = new ExecutionControl(options);
    this.running.add(control);
    let client: pg.PoolClient | undefined;
    let source: PostgresRows | undefined;
    let readFailed = false;
    let finished = false;
    try {
      client = await control.race(this.pool.connect(), (late) => late.release());
      await preparePostgresSession(client);
      // One round trip: the transaction and its server-side timeout (so the statement stops
      // even if this process dies mid-query) as one simple-protocol text of our own making.
      await client.query(beginStatement(options));
      // Sent by the server at connect (BackendKeyData); not in pg's typings.
      const pid = (client as unknown as { processID?: number }).processID;
      if (typeof pid === 'number') control.setCanceller(() => cancelPostgresBackend(this.clientConfig, pid));
      control.throwIfStopped();
      source = isBounded(options.maxRows) ? bufferedRows(client, sql, params) : cursorRows(client, sql, params);
      for (;;) {
        let rows: RawValue[][];
        try {
          rows = await source.read(chunkSize);
        } catch (err) {
          readFailed = true;
          throw err;
        }
        control.throwIfStopped();
        if (rows.length === 0) break;
        yield rows;
        control.throwIfStopped();
      }
      control.clearCanceller();
      await source.close();
      if (!options.readOnly) await client.query('COMMIT');
      finished = true;
    } catch (err) {
      if (control.stopReason) throw control.stopError();
      throw postgresError(err, this.settings);
    } finally {
      control.clearCanceller();
      control.dispose();
      this.running.delete(control);
      if (client && !finished) await this.cleanUp(client, control, readFailed ? undefined : source);
      else if (client && options.readOnly) releaseAfterRollback(client);
      else client?.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const control of this.running) control.stop('CANCELLED');
    await this.pool.end().catch(() => undefined);
  }

  /** Leaves the connection idle outside any transaction, or destroys it if that fails. */
  private async cleanUp(client: pg.PoolClient, control: ExecutionControl, open: PostgresRows | undefined): Promise<void> {
    await control.cancelSettled();
    let broken = control.cancelFailed;
    if (!broken) {
      try {
        await withDeadline(
          (async () => {
            if (open) await open.close();
            await client.query('ROLLBACK');
          })(),
          5_000,
        );
      } catch {
        broken = true;
      }
    }
    client.release(broken ? new Error('discarded after an interrupted query') : undefined);
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    this.assertOpen();
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await preparePostgresSession(client);
      const value = await work(client);
      client.release();
      return value;
    } catch (err) {
      client?.release(err instanceof Error ? err : new Error('failed'));
      throw postgresError(err, this.settings);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ConnectorError('CLOSED', 'This datasource connection has been closed');
  }
}

/** `BEGIN` with the execution's access mode and statement timeout. */
function beginStatement(options: ExecuteOptions): string {
  const begin = options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN';
  const timeoutMs = options.timeoutMs === undefined ? 0 : Math.ceil(options.timeoutMs);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) return begin;
  return `${begin}; SET LOCAL statement_timeout = ${timeoutMs}`;
}

/**
 * A read-only transaction has nothing to keep: its rows are already out, so it is ended after
 * the caller has them, and the connection goes back to the pool once it is idle again (or is
 * dropped if it cannot be).
 */
function releaseAfterRollback(client: pg.PoolClient): void {
  client.query('ROLLBACK').then(
    () => client.release(),
    (err: unknown) => client.release(err instanceof Error ? err : new Error(String(err))),
  );
}

function isBounded(maxRows: number | undefined): boolean {
  return maxRows !== undefined && Number.isFinite(maxRows) && maxRows >= 0 && maxRows <= MAX_BUFFERED_ROWS;
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
