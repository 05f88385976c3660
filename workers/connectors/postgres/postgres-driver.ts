import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import type { PostgresSettings } from '../settings';
import type { PoolOptions } from '../types';

/**
 * Every value comes back as PostgreSQL's own text form: the compiler's decoder, not pg's
 * global parsers, decides what a value means. Set per client so nothing else in the process
 * is affected.
 */
export const RAW_TEXT_TYPES = {
  getTypeParser: () => (value: string) => value,
} as unknown as pg.CustomTypesConfig;

function tlsOptions(settings: PostgresSettings): false | ConnectionOptions {
  switch (settings.sslMode) {
    case 'disable':
      return false;
    case 'require':
      // libpq semantics: encrypted; the chain is verified only when a CA is given.
      return settings.ca
        ? { ca: settings.ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
        : { rejectUnauthorized: false };
    case 'verify-full':
      return { ca: settings.ca, rejectUnauthorized: true, servername: settings.host };
  }
}

/** The pg client configuration for a datasource; used for pool and cancel connections alike. */
export function postgresClientConfig(settings: PostgresSettings, connectTimeoutMs: number): pg.ClientConfig {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: tlsOptions(settings),
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'sightline',
    types: RAW_TEXT_TYPES,
  };
}

export function createPostgresPool(settings: PostgresSettings, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    ...postgresClientConfig(settings, options.connectTimeoutMs),
    max: options.maxConnections,
    idleTimeoutMillis: options.idleTimeoutMs,
    allowExitOnIdle: true,
  });
  // An idle client losing its server must not crash the process; the pool drops it.
  pool.on('error', () => undefined);
  // pg-pool listens for errors only on idle clients. A server ending a checked-out connection
  // (pg_terminate_backend, a failover) also emits 'error' on the client after the query has
  // failed; unheard, it would crash the whole worker. The query's own error is what counts,
  // and the connector discards the client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

const prepared = new WeakSet<pg.ClientBase>();

/** Session settings the compiler relies on, applied once per physical connection. */
export async function preparePostgresSession(client: pg.ClientBase): Promise<void> {
  if (prepared.has(client)) return;
  await client.query("SET TIME ZONE 'UTC'");
  await client.query('SET datestyle TO ISO, MDY');
  prepared.add(client);
}
