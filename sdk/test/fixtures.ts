/** Datasources the job tests share: a SQLite table to insert into, and a PostgreSQL query that sleeps. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPgDatabase, PG_ADMIN, type TempDatabase } from '../../testkit/services';
import type { CreateDatasourceInput } from '../src';

/** A SQLite `events` table in the server's data folder, and a way to add rows to it. */
export function sqliteEvents(dataDir: string, file = 'sdk-events.db') {
  mkdirSync(join(dataDir, 'sqlite'), { recursive: true });
  const db = new Database(join(dataDir, 'sqlite', file));
  db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL)');
  db.exec("INSERT INTO events (kind) VALUES ('view'), ('view'), ('click')");
  return {
    input: { name: 'Events', kind: 'SQLITE', connection: { file }, source: { table: 'events' } } satisfies CreateDatasourceInput,
    add: (kind: string, count = 1) => {
      const insert = db.prepare('INSERT INTO events (kind) VALUES (?)');
      for (let i = 0; i < count; i++) insert.run(kind);
    },
    close: () => db.close(),
  };
}

/** A custom-SQL datasource whose every query sleeps `seconds` in PostgreSQL. */
export async function sleepyPg(seconds: number): Promise<{ input: CreateDatasourceInput; temp: TempDatabase }> {
  const temp = await createPgDatabase('sl_sdk_sleep');
  return {
    temp,
    input: {
      name: `Sleeps ${seconds}s`,
      kind: 'POSTGRES',
      connection: { host: PG_ADMIN.host, port: PG_ADMIN.port, database: temp.name, user: PG_ADMIN.user, sslMode: 'DISABLE' },
      source: { sql: `SELECT pg_sleep(${seconds}) AS slept, 'sdk-sleep-marker' AS marker` },
    },
  };
}
