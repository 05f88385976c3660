/**
 * Real services for tests. Under CI=true a service that cannot be reached fails the run:
 * a suite is never skipped there. Locally a missing service skips its suite with a warning.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';

export const PG_ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };
export const MYSQL_ADMIN = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type ServiceName = 'postgres' | 'mariadb' | 'redis';

const probes: Record<ServiceName, () => Promise<void>> = {
  postgres: async () => {
    const c = new pg.Client({ ...PG_ADMIN, connectionTimeoutMillis: 3000 });
    await c.connect();
    await c.end();
  },
  mariadb: async () => {
    const c = await mysql.createConnection({ ...MYSQL_ADMIN, connectTimeout: 3000 });
    await c.end();
  },
  redis: async () => {
    const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 1 });
    try {
      await r.connect();
      await r.ping();
    } finally {
      r.disconnect();
    }
  },
};

/** True when the service answers. Throws under CI=true when it does not. */
export async function hasService(name: ServiceName): Promise<boolean> {
  try {
    await probes[name]();
    return true;
  } catch (err) {
    const why = `${name} is not reachable: ${(err as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: a missing service fails the run)`);
    console.warn(`[tests] skipping: ${why}`);
    return false;
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export interface TempDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database, dropped (with its sessions) by drop(). */
export async function createPgDatabase(prefix = 'sl_test'): Promise<TempDatabase> {
  const name = uniqueName(prefix);
  const admin = new pg.Client(PG_ADMIN);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `postgres://${PG_ADMIN.user}@${PG_ADMIN.host}:${PG_ADMIN.port}/${name}`,
    drop: async () => {
      const c = new pg.Client(PG_ADMIN);
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A fresh MariaDB database, dropped by drop(). */
export async function createMysqlDatabase(prefix = 'sl_test'): Promise<TempDatabase> {
  const name = uniqueName(prefix);
  const c = await mysql.createConnection(MYSQL_ADMIN);
  try {
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await c.end();
  }
  return {
    name,
    url: `mysql://${MYSQL_ADMIN.user}@${MYSQL_ADMIN.host}:${MYSQL_ADMIN.port}/${name}`,
    drop: async () => {
      const d = await mysql.createConnection(MYSQL_ADMIN);
      try {
        await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await d.end();
      }
    },
  };
}
