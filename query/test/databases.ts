/** Runs compiled queries on real SQLite, PostgreSQL and MariaDB loaded with the fixture. */
import Database from 'better-sqlite3';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { createMysqlDatabase, createPgDatabase, hasService, MYSQL_ADMIN, PG_ADMIN, type TempDatabase } from '../../testkit/services';
import { registerSqliteFunctions } from '../dialect/sqlite/sqlite-functions';
import type { Dialect, RawValue, SqlParam } from '../types';
import { ROWS } from './fixture';

export interface Runner {
  dialect: Dialect;
  run(sql: string, params: SqlParam[]): Promise<RawValue[][]>;
  close(): Promise<void>;
}

export function sqliteRunner(): Runner {
  const db = new Database(':memory:');
  registerSqliteFunctions(db);
  db.exec('CREATE TABLE t (id INTEGER, city TEXT, amount NUMERIC, qty INTEGER, flag INTEGER, day TEXT, ts TEXT, note TEXT)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of ROWS) {
    ins.run(r[0], r[1], r[2] === null ? null : Number(r[2]), r[3], r[4] === null ? null : r[4] ? 1 : 0, r[5], r[6] === null ? null : r[6].replace('T', ' ').replace('Z', ''), r[7]);
  }
  return {
    dialect: 'sqlite',
    run: async (sql, params) => db.prepare(sql).raw(true).all(...params) as RawValue[][],
    close: async () => {
      db.close();
    },
  };
}

export async function pgRunner(): Promise<Runner | null> {
  if (!(await hasService('postgres'))) return null;
  const temp: TempDatabase = await createPgDatabase('sl_query');
  const client = new pg.Client({ ...PG_ADMIN, database: temp.name, types: { getTypeParser: () => (v: string) => v } });
  await client.connect();
  await client.query("SET TIME ZONE 'UTC'");
  await client.query('CREATE TABLE t (id integer, city text, amount numeric(12,2), qty integer, flag boolean, day date, ts timestamptz, note text)');
  for (const r of ROWS) await client.query('INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', r);
  return {
    dialect: 'postgres',
    run: async (sql, params) => (await client.query({ text: sql, values: params, rowMode: 'array' })).rows as RawValue[][],
    close: async () => {
      await client.end();
      await temp.drop();
    },
  };
}

export async function mysqlRunner(): Promise<Runner | null> {
  if (!(await hasService('mariadb'))) return null;
  const temp = await createMysqlDatabase('sl_query');
  const conn = await mysql.createConnection({ ...MYSQL_ADMIN, database: temp.name, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, charset: 'utf8mb4' });
  await conn.query("SET time_zone = '+00:00'");
  await conn.query('CREATE TABLE t (id INT, city VARCHAR(100), amount DECIMAL(12,2), qty INT, flag TINYINT(1), day DATE, ts DATETIME(3), note VARCHAR(100))');
  for (const r of ROWS) {
    await conn.query('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [r[0], r[1], r[2], r[3], r[4] === null ? null : r[4] ? 1 : 0, r[5], r[6] === null ? null : r[6].replace('T', ' ').replace('Z', ''), r[7]]);
  }
  return {
    dialect: 'mysql',
    run: async (sql, params) => {
      const [rows] = await conn.query({ sql, rowsAsArray: true }, params);
      return rows as RawValue[][];
    },
    close: async () => {
      await conn.end();
      await temp.drop();
    },
  };
}
