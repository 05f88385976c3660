import type { RawValue, SourceColumn } from '../../../query/types';
import { wrapForDescribe } from '../describe-sql';
import { ConnectorError } from '../errors';
import { ExecutionControl } from '../execution-control';
import type { SqliteSettings } from '../settings';
import {
  DEFAULT_CHUNK_SIZE,
  type ConnectionTestResult,
  type Connector,
  type ExecuteOptions,
  type Introspection,
  type PoolOptions,
} from '../types';
import { COMPILER_SQLITE_FUNCTIONS } from './functions';
import { sqliteError } from './sqlite-errors';
import { SQLITE_COLUMNS_SQL, sqliteIntrospection } from './sqlite-introspector';
import { resolveSqliteFile } from './sqlite-path';
import { SqliteProcess } from './sqlite-process';
import { SqliteProcessPool } from './sqlite-process-pool';
import type { SqliteFunctionsModule, SqliteValue } from './sqlite-protocol';
import { sqliteFieldType, sqliteFieldTypeOfValue } from './sqlite-types';

const DESCRIBE_TIMEOUT_MS = 30_000;

export interface SqliteConnectorOptions {
  /** The folder every SQLite datasource file must be inside (from configuration). */
  root: string;
  /**
   * SQL functions registered on every connection the child opens: by default the compiler's
   * (`query/index.ts` `sqliteFunctions`); `null` registers none.
   */
  functions?: SqliteFunctionsModule | null;
}

let nextRequestId = 1;

/** better-sqlite3 binds neither booleans nor dates. */
function toSqliteParam(value: RawValue): SqliteValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

/**
 * SQLite through child processes (one read-only connection each), so that cancel and timeout
 * can stop a statement in the middle of SQLite's native code by killing its process.
 */
export class SqliteConnector implements Connector {
  readonly kind = 'sqlite';
  private readonly pool: SqliteProcessPool;
  private readonly running = new Set<ExecutionControl>();

  constructor(
    private readonly settings: SqliteSettings,
    poolOptions: PoolOptions,
    private readonly options: SqliteConnectorOptions,
  ) {
    this.pool = new SqliteProcessPool(async () => {
      // Resolved at every start: a link changed since the last one is checked again.
      const file = await resolveSqliteFile(this.options.root, this.settings.file);
      const functions = this.options.functions === undefined ? COMPILER_SQLITE_FUNCTIONS : this.options.functions;
      return SqliteProcess.spawn(file, functions, poolOptions.connectTimeoutMs);
    }, poolOptions);
  }

  async testConnection(): Promise<ConnectionTestResult> {
    const proc = await this.pool.acquire();
    this.pool.release(proc);
    return { ok: true, serverVersion: `SQLite ${proc.version}` };
  }

  async introspect(): Promise<Introspection> {
    const rows: unknown[][] = [];
    for await (const chunk of this.execute(SQLITE_COLUMNS_SQL, [], { readOnly: true, timeoutMs: DESCRIBE_TIMEOUT_MS })) {
      rows.push(...chunk);
    }
    return sqliteIntrospection(rows);
  }

  async describeQuery(sql: string): Promise<SourceColumn[]> {
    const control = new ExecutionControl({ timeoutMs: DESCRIBE_TIMEOUT_MS });
    const proc = await this.pool.acquire();
    control.setCanceller(() => this.pool.discard(proc));
    try {
      const reply = await proc.request({ t: 'describe', id: nextRequestId++, sql: wrapForDescribe(sql, 1) });
      if (reply.t === 'error') throw sqliteError(reply.code, reply.message);
      if (reply.t !== 'described') throw new ConnectorError('QUERY_FAILED', 'Unexpected reply from the SQLite process');
      return reply.columns.map((c, i) => ({
        name: c.name,
        nativeType: c.declaredType ?? '',
        type: c.declaredType ? sqliteFieldType(c.declaredType) : sqliteFieldTypeOfValue(reply.sample?.[i] ?? null),
      }));
    } catch (err) {
      if (control.stopReason) throw control.stopError();
      throw err instanceof ConnectorError ? err : new ConnectorError('QUERY_FAILED', String(err));
    } finally {
      control.dispose();
      if (!control.stopReason) this.pool.release(proc);
    }
  }

  async *execute(sql: string, params: readonly RawValue[], options: ExecuteOptions = {}): AsyncGenerator<RawValue[][]> {
    const control = new ExecutionControl(options);
    this.running.add(control);
    let proc: SqliteProcess | undefined;
    let openId: number | undefined;
    try {
      proc = await control.race(this.pool.acquire(), (late) => this.pool.release(late));
      const owned = proc;
      control.setCanceller(() => this.pool.discard(owned));
      const id = nextRequestId++;
      openId = id;
      let reply = await proc.request({
        t: 'query',
        id,
        sql,
        params: params.map(toSqliteParam),
        chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
        readOnly: options.readOnly ?? true,
      });
      for (;;) {
        control.throwIfStopped();
        if (reply.t === 'error') {
          openId = undefined;
          throw sqliteError(reply.code, reply.message);
        }
        if (reply.t !== 'rows') throw new ConnectorError('QUERY_FAILED', 'Unexpected reply from the SQLite process');
        if (reply.done) openId = undefined;
        if (reply.rows.length > 0) yield reply.rows;
        control.throwIfStopped();
        if (reply.done) break;
        reply = await proc.request({ t: 'pull', id });
      }
    } catch (err) {
      if (control.stopReason) throw control.stopError();
      throw err instanceof ConnectorError ? err : new ConnectorError('QUERY_FAILED', String(err));
    } finally {
      control.dispose();
      this.running.delete(control);
      if (proc && !control.stopReason) {
        // Left early (the consumer stopped reading): end the statement, keep the process.
        if (openId !== undefined) await proc.request({ t: 'close', id: openId }).catch(() => undefined);
        this.pool.release(proc);
      } else if (proc) {
        await control.cancelSettled();
      }
    }
  }

  /** Live child process ids of this datasource. */
  processIds(): number[] {
    return this.pool.pids();
  }

  async close(): Promise<void> {
    for (const control of this.running) control.stop('CANCELLED');
    await this.pool.close();
  }
}
