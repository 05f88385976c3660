/**
 * getData returns the same typed rows from every dialect: one table, loaded into a fresh
 * PostgreSQL database, a fresh MariaDB database and a SQLite file, queried through the API.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/harness';
import { createMysqlDatabase, createPgDatabase, hasService, MYSQL_ADMIN, PG_ADMIN, type TempDatabase } from '../../testkit/services';
import { signUp, type CreateDatasourceInput, type Query, type SessionClient } from '../src';
import { WebSocket } from './support';

const DDL = (bool: string) =>
  `CREATE TABLE sales (id INTEGER PRIMARY KEY, region VARCHAR(20) NOT NULL, amount DECIMAL(10, 2) NOT NULL, sold_on DATE NOT NULL, returned ${bool} NOT NULL)`;
const ROWS: [number, string, number, string, boolean][] = [
  [1, 'north', 10.5, '2024-01-05', false],
  [2, 'north', 20.25, '2024-01-20', true],
  [3, 'south', 5, '2024-02-01', false],
  [4, 'east', 7.75, '2024-02-14', false],
  [5, 'south', 12, '2024-03-03', true],
];

interface ByMonth {
  region: string;
  sold_on_month: string;
  sum_amount: number;
  count: number;
}

const byMonth: Query = {
  dimensions: ['region', { field: 'sold_on', granularity: 'month' }],
  measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count' }],
  orderBy: [{ field: 'region' }, { field: 'sold_on_month' }],
};
const expectedByMonth: ByMonth[] = [
  { region: 'east', sold_on_month: '2024-02-01', sum_amount: 7.75, count: 1 },
  { region: 'north', sold_on_month: '2024-01-01', sum_amount: 30.75, count: 2 },
  { region: 'south', sold_on_month: '2024-02-01', sum_amount: 5, count: 1 },
  { region: 'south', sold_on_month: '2024-03-01', sum_amount: 12, count: 1 },
];

const kept: Query = {
  measures: [{ agg: 'sum', field: 'amount', as: 'kept' }],
  filters: [{ field: 'returned', op: 'eq', value: false }, { field: 'region', op: 'in', values: ['north', 'south', 'east'] }],
};

interface Dialect {
  name: string;
  input: () => Promise<CreateDatasourceInput>;
}

const pgUp = await hasService('postgres');
const mariaUp = await hasService('mariadb');
const temps: TempDatabase[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'sightline-sdk-'));

const dialects: Dialect[] = [
  {
    name: 'sqlite',
    input: async () => {
      mkdirSync(join(dataDir, 'sqlite'), { recursive: true });
      const db = new Database(join(dataDir, 'sqlite', 'sdk-sales.db'));
      db.exec(DDL('BOOLEAN'));
      const insert = db.prepare('INSERT INTO sales VALUES (?, ?, ?, ?, ?)');
      for (const [id, region, amount, day, returned] of ROWS) insert.run(id, region, amount, day, returned ? 1 : 0);
      db.close();
      return { name: 'Sales (SQLite)', kind: 'SQLITE', connection: { file: 'sdk-sales.db' }, source: { table: 'sales' } };
    },
  },
  ...(pgUp
    ? [{
        name: 'postgres',
        input: async (): Promise<CreateDatasourceInput> => {
          const temp = await createPgDatabase('sl_sdk');
          temps.push(temp);
          const c = new pg.Client({ ...PG_ADMIN, database: temp.name });
          await c.connect();
          await c.query(DDL('BOOLEAN'));
          for (const row of ROWS) await c.query('INSERT INTO sales VALUES ($1, $2, $3, $4, $5)', row);
          await c.end();
          return { name: 'Sales (PostgreSQL)', kind: 'POSTGRES', connection: { host: PG_ADMIN.host, port: PG_ADMIN.port, database: temp.name, user: PG_ADMIN.user, sslMode: 'DISABLE' }, source: { table: 'sales', schema: 'public' } };
        },
      }]
    : []),
  ...(mariaUp
    ? [{
        name: 'mariadb',
        input: async (): Promise<CreateDatasourceInput> => {
          const temp = await createMysqlDatabase('sl_sdk');
          temps.push(temp);
          const c = await mysql.createConnection({ ...MYSQL_ADMIN, database: temp.name });
          await c.query(DDL('BOOLEAN'));
          for (const row of ROWS) await c.query('INSERT INTO sales VALUES (?, ?, ?, ?, ?)', row);
          await c.end();
          return { name: 'Sales (MariaDB)', kind: 'MYSQL', connection: { host: MYSQL_ADMIN.host, port: MYSQL_ADMIN.port, database: temp.name, user: MYSQL_ADMIN.user, sslMode: 'DISABLE' }, source: { table: 'sales' } };
        },
      }]
    : []),
];

let s: TestServer;
let client: SessionClient;

beforeAll(async () => {
  s = await startTestServer('pglite', { SAMPLE_DATASOURCE: 'true', DATA_DIR: dataDir });
  client = await signUp(s.url, { email: 'dialects@example.com', password: 'a long password', organizationName: 'Dialects' }, { webSocketImpl: WebSocket });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await s?.close();
  await Promise.all(temps.map((t) => t.drop()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each(dialects)('getData on $name', (dialect) => {
  let datasourceId: string;
  beforeAll(async () => {
    datasourceId = (await client.datasources.create(await dialect.input())).id;
  }, 60_000);

  it('returns rows as objects keyed by column name, typed as the output contract says', async () => {
    const data = await client.getData<ByMonth>(datasourceId, byMonth, { refresh: true });
    expect(data.rows).toEqual(expectedByMonth);
    expect(data.columns).toEqual([
      { name: 'region', type: 'string' },
      { name: 'sold_on_month', type: 'date' },
      { name: 'sum_amount', type: 'number' },
      { name: 'count', type: 'number' },
    ]);
    expect(data).toMatchObject({ rowCount: 4, truncated: false, cached: false });
  });

  it('filters on booleans and lists, and answers a repeat from the cache', async () => {
    const first = await client.getData<{ kept: number }>(datasourceId, kept, { refresh: true });
    expect(first.rows).toEqual([{ kept: 23.25 }]);
    const again = await client.getData<{ kept: number }>(datasourceId, kept);
    expect(again).toMatchObject({ cached: true, rows: [{ kept: 23.25 }] });
  });
});

describe('getData on the sample orders datasource', () => {
  it('groups 300,000 orders by region with typed sums and counts', async () => {
    const sample = (await client.datasources.list()).items.find((d) => d.name === 'Sample: orders');
    expect(sample).toBeDefined();
    const data = await client.getData<{ region: string; sum_amount: number; orders: number }>(sample!.id, {
      dimensions: ['region'],
      measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count', as: 'orders' }],
      orderBy: [{ field: 'orders', dir: 'desc' }],
    });
    expect(data.rows.map((r) => r.region).sort()).toEqual(['Asia Pacific', 'Europe', 'Latin America', 'Middle East & Africa', 'North America']);
    expect(data.rows.reduce((n, r) => n + r.orders, 0)).toBe(300_000);
    for (const row of data.rows) {
      expect(Number.isInteger(row.orders)).toBe(true);
      expect(typeof row.sum_amount).toBe('number');
    }
    expect(data.rows[0]!.orders).toBeGreaterThanOrEqual(data.rows.at(-1)!.orders);
  });
});
