import { MysqlConnector } from './mysql/mysql-connector';
import { PostgresConnector } from './postgres/postgres-connector';
import type { ConnectionSettings, ConnectorKind } from './settings';
import { SqliteConnector } from './sqlite/sqlite-connector';
import type { SqliteFunctionsModule } from './sqlite/sqlite-protocol';
import type { Connector, PoolOptions } from './types';

/** What connectors need from configuration besides a datasource's own settings. */
export interface ConnectorEnvironment {
  /** The folder SQLite datasource files live in; nothing outside it can be opened. */
  sqliteRoot: string;
  /** The compiler's SQLite functions; `null` registers none. */
  sqliteFunctions: SqliteFunctionsModule | null;
}

type Factory<K extends ConnectorKind> = (
  settings: Extract<ConnectionSettings, { kind: K }>,
  pool: PoolOptions,
  env: ConnectorEnvironment,
) => Connector;

// A Record over every kind: a new kind without a connector is a type error.
const factories: { [K in ConnectorKind]: Factory<K> } = {
  postgres: (settings, pool) => new PostgresConnector(settings, pool),
  redshift: (settings, pool) => new PostgresConnector(settings, pool),
  mysql: (settings, pool) => new MysqlConnector(settings, pool),
  sqlite: (settings, pool, env) => new SqliteConnector(settings, pool, { root: env.sqliteRoot, functions: env.sqliteFunctions }),
};

/** A connector for already validated settings. */
export function createConnector(settings: ConnectionSettings, pool: PoolOptions, env: ConnectorEnvironment): Connector {
  const factory = factories[settings.kind] as Factory<ConnectorKind>;
  return factory(settings, pool, env);
}
