import { Readable } from 'node:stream';
import mysql from 'mysql2';
import type { MysqlSettings } from '../settings';
import type { PoolOptions } from '../types';

/** Which timeout syntax the server understands; found at the first connection. */
export type MysqlFlavour = 'mariadb' | 'mysql';

function tlsOptions(settings: MysqlSettings): mysql.SslOptions | undefined {
  switch (settings.sslMode) {
    case 'disable':
      return undefined;
    case 'require':
      return settings.ca ? { ca: settings.ca, rejectUnauthorized: true } : { rejectUnauthorized: false };
    case 'verify-full':
      // mysql2 skips the host name check unless told otherwise.
      return { ca: settings.ca, rejectUnauthorized: true, verifyIdentity: true };
  }
}

/**
 * A server asking for a local file gets an error instead: LOAD DATA LOCAL would let a
 * query (or a hostile server) read files of the worker's machine.
 */
function refuseLocalInfile(): Readable {
  return new Readable({
    read() {
      this.destroy(new Error('LOAD DATA LOCAL INFILE is not allowed'));
    },
  });
}

/** Options for pool and cancel connections alike; every value the compiler relies on. */
export function mysqlConnectionOptions(settings: MysqlSettings, connectTimeoutMs: number): mysql.ConnectionOptions {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: tlsOptions(settings),
    connectTimeout: connectTimeoutMs,
    charset: 'utf8mb4',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    rowsAsArray: true,
    multipleStatements: false,
    // Compiled SQL varies a lot; a small cache keeps server-side prepared statements bounded.
    maxPreparedStatements: 64,
    flags: ['-LOCAL_FILES', '-MULTI_STATEMENTS'],
    infileStreamFactory: refuseLocalInfile,
  };
}

export function createMysqlPool(settings: MysqlSettings, options: PoolOptions): mysql.Pool {
  return mysql.createPool({
    ...mysqlConnectionOptions(settings, options.connectTimeoutMs),
    connectionLimit: options.maxConnections,
    maxIdle: options.maxConnections,
    idleTimeout: options.idleTimeoutMs,
    waitForConnections: true,
    queueLimit: 0,
  });
}

export function query<T>(conn: mysql.Connection | mysql.PoolConnection, sql: string, values: unknown[] = []): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    conn.query({ sql, values, rowsAsArray: true }, (err, rows) => (err ? reject(err) : resolve(rows as T)));
  });
}

/** Runs with server-side placeholders, so a `?` inside a user's string literal stays text. */
export function execute<T>(conn: mysql.PoolConnection, sql: string, values: unknown[] = []): Promise<[T, mysql.FieldPacket[]]> {
  return new Promise<[T, mysql.FieldPacket[]]>((resolve, reject) => {
    conn.execute({ sql, values, rowsAsArray: true }, (err, rows, fields) => (err ? reject(err) : resolve([rows as T, fields])));
  });
}

const prepared = new WeakMap<mysql.PoolConnection, MysqlFlavour>();

/**
 * Session settings the compiler relies on, once per physical connection. NO_BACKSLASH_ESCAPES
 * is removed because mysql2 escapes values with backslashes: a server default with it set
 * would turn a bound value into SQL.
 */
export async function prepareMysqlSession(conn: mysql.PoolConnection): Promise<MysqlFlavour> {
  const known = prepared.get(conn);
  if (known) return known;
  await query(conn, "SET time_zone = '+00:00'");
  await query(conn, "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
  const rows = await query<[string][]>(conn, 'SELECT VERSION()');
  const flavour: MysqlFlavour = /mariadb/i.test(rows[0]?.[0] ?? '') ? 'mariadb' : 'mysql';
  prepared.set(conn, flavour);
  return flavour;
}
