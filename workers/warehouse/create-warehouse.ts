import type { RawDatabase } from '../../schema/database';
import { warehouseSchemaOf } from '../../schema/domain/warehouse';
import { createConnector } from '../connectors/create-connector';
import { DEFAULT_POOL_OPTIONS, type Connector, type PoolOptions, type PostgresSettings } from '../connectors/types';
import { WarehouseError } from './errors';
import { qualified } from './identifiers';
import { PgliteConnector } from './pglite-connector';
import { scopedConnector } from './scoped-connector';
import { pgliteSession, pgSession, type SqlSession } from './sql-session';
import { readTables } from './table-listing';
import { checkTableName, loadTable } from './table-writer';
import type { Warehouse } from './warehouse';

/** The query pool's settings from the platform's DATABASE_URL. */
function settingsFromUrl(url: string): PostgresSettings {
  const u = new URL(url);
  const sslmode = u.searchParams.get('sslmode');
  return {
    kind: 'postgres' as const,
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(u.username) || 'postgres',
    password: decodeURIComponent(u.password),
    sslMode: sslmode === 'require' || sslmode === 'verify-full' ? sslmode : 'disable',
  };
}

export function createWarehouse(raw: RawDatabase, pool: Partial<PoolOptions> = {}): Warehouse {
  let base: Connector;
  let open: () => Promise<SqlSession>;
  if (raw.kind === 'pglite') {
    base = new PgliteConnector(raw.client);
    const session = pgliteSession(raw.client);
    open = async () => session;
  } else {
    base = createConnector(settingsFromUrl(raw.url), { ...DEFAULT_POOL_OPTIONS, maxConnections: 10, ...pool }, { sqliteRoot: '/nonexistent', sqliteFunctions: null });
    open = async () => pgSession(await raw.pool.connect());
  }

  async function withSession<T>(work: (s: SqlSession) => Promise<T>): Promise<T> {
    const s = await open();
    let failed = false;
    try {
      return await work(s);
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      s.release(failed);
    }
  }

  const listTables = (organizationId: string) => withSession((s) => readTables(s, warehouseSchemaOf(organizationId)));

  return {
    load: (request) => loadTable(open, request),
    listTables,
    async dropTable(organizationId, table) {
      const name = checkTableName(table);
      await withSession((s) => s.query(`DROP TABLE IF EXISTS ${qualified(warehouseSchemaOf(organizationId), name)}`));
    },
    connectorFor: (organizationId) => scopedConnector(base, organizationId, listTables),
    async close() {
      await base.close();
    },
  };
}

export { WarehouseError };
