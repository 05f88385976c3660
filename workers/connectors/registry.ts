import { createHash } from 'node:crypto';
import { createConnector, type ConnectorEnvironment } from './create-connector';
import { ConnectorError } from './errors';
import { parseConnectionSettings, type ConnectionSettings } from './settings';
import { COMPILER_SQLITE_FUNCTIONS } from './sqlite/functions';
import type { SqliteFunctionsModule } from './sqlite/sqlite-protocol';
import { DEFAULT_POOL_OPTIONS, type ConnectionTestResult, type Connector, type PoolOptions } from './types';

export interface ConnectorRegistryOptions {
  /** The folder SQLite datasource files live in. */
  sqliteRoot: string;
  /** Limits for each datasource's pool. */
  pool?: Partial<PoolOptions>;
  /** SQLite functions each SQLite process imports; default the compiler's, `null` none. */
  sqliteFunctions?: SqliteFunctionsModule | null;
}

interface Entry {
  settingsHash: string;
  connector: Connector;
}

/** Key order must not matter: the same settings always give the same pool. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function settingsHash(settings: ConnectionSettings): string {
  return createHash('sha256').update(JSON.stringify(canonical(settings))).digest('hex');
}

/**
 * One pool per datasource, shared by every query a worker runs on it. A datasource whose
 * settings changed gets a new pool and its old one is closed (its running queries end with
 * CANCELLED), so no query ever runs with stale credentials.
 */
export class ConnectorRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly closing = new Set<Promise<void>>();
  private readonly poolOptions: PoolOptions;
  private readonly env: ConnectorEnvironment;
  private closed = false;

  constructor(options: ConnectorRegistryOptions) {
    this.poolOptions = { ...DEFAULT_POOL_OPTIONS, ...options.pool };
    this.env = { sqliteRoot: options.sqliteRoot, sqliteFunctions: options.sqliteFunctions === undefined ? COMPILER_SQLITE_FUNCTIONS : options.sqliteFunctions };
  }

  /** The datasource's connector; `settings` are validated here (INVALID_SETTINGS). */
  get(datasourceId: string, settings: unknown): Connector {
    if (this.closed) throw new ConnectorError('CLOSED', 'The connector registry has been shut down');
    const parsed = parseConnectionSettings(settings);
    const hash = settingsHash(parsed);
    const existing = this.entries.get(datasourceId);
    if (existing?.settingsHash === hash) return existing.connector;
    if (existing) this.track(existing.connector.close());
    const connector = createConnector(parsed, this.poolOptions, this.env);
    this.entries.set(datasourceId, { settingsHash: hash, connector });
    return connector;
  }

  /** Checks settings that may not be saved yet, on a throwaway one-connection pool. */
  async testSettings(settings: unknown): Promise<ConnectionTestResult> {
    const parsed = parseConnectionSettings(settings);
    const connector = createConnector(parsed, { ...this.poolOptions, maxConnections: 1 }, this.env);
    try {
      return await connector.testConnection();
    } finally {
      await connector.close();
    }
  }

  /** Closes a datasource's pool (the datasource was deleted or its worker gives it up). */
  async evict(datasourceId: string): Promise<void> {
    const entry = this.entries.get(datasourceId);
    if (!entry) return;
    this.entries.delete(datasourceId);
    await entry.connector.close();
  }

  /** Number of datasources with an open pool. */
  get size(): number {
    return this.entries.size;
  }

  /** Shutdown: cancels what runs and closes every pool. */
  async closeAll(): Promise<void> {
    this.closed = true;
    const connectors = [...this.entries.values()].map((e) => e.connector);
    this.entries.clear();
    await Promise.all([...connectors.map((c) => c.close()), ...this.closing]);
  }

  private track(closing: Promise<void>): void {
    const settled = closing.catch(() => undefined).finally(() => this.closing.delete(settled));
    this.closing.add(settled);
  }
}
