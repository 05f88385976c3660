import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteSettings } from '../../connectors/settings';
import { SqliteConnector } from '../../connectors/sqlite/sqlite-connector';
import { DEFAULT_POOL_OPTIONS } from '../../connectors/types';
import { collect, connectorFailure, elapsedSince } from './helpers';

/** Billions of rows to count: runs for minutes inside one native sqlite3_step. */
const ENDLESS = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000)
SELECT count(*) FROM c a, c b, c d`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('SQLite connector', () => {
  let root: string;
  let settings: SqliteSettings;
  let connector: SqliteConnector;
  const functions = { moduleUrl: new URL('./fixtures/sqlite-functions.ts', import.meta.url).href, exportName: 'testFunctions' };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sl-sqlite-'));
    const db = new Database(path.join(root, 'shop.db'));
    db.exec(`
      CREATE TABLE orders (id INTEGER PRIMARY KEY, label TEXT, code VARCHAR(8), amount DECIMAL(10, 2), ratio REAL,
        paid BOOLEAN, day DATE, at TIMESTAMP, created DATETIME, blob BLOB, anything);
      INSERT INTO orders VALUES (1, 'ételé', 'A1', 12.5, 0.5, 1, '2024-02-29', '2024-02-29 13:45:00', '2024-02-29T13:45:00Z', x'0102', NULL),
                                (2, 'second', 'B2', 3, NULL, 0, NULL, NULL, NULL, NULL, 'x');
      CREATE VIEW paid_orders AS SELECT id, amount FROM orders WHERE paid = 1;
      CREATE TABLE numbers (n INTEGER);
      WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 50000) INSERT INTO numbers SELECT n FROM g;
    `);
    db.close();
    settings = { kind: 'sqlite', file: 'shop.db' };
    connector = new SqliteConnector(settings, { ...DEFAULT_POOL_OPTIONS, maxConnections: 2 }, { root, functions });
  });

  afterAll(async () => {
    await connector?.close();
    await rm(root, { recursive: true, force: true });
  });

  function rowCount(table: string): number {
    const db = new Database(path.join(root, 'shop.db'), { readonly: true });
    try {
      return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    } finally {
      db.close();
    }
  }

  it('reports the SQLite version', async () => {
    expect(await connector.testConnection()).toEqual({ ok: true, serverVersion: expect.stringMatching(/^SQLite 3\./) });
  });

  it('fails with CONNECTION_FAILED for a missing file and INVALID_SETTINGS outside the root', async () => {
    const missing = new SqliteConnector({ kind: 'sqlite', file: 'missing.db' }, DEFAULT_POOL_OPTIONS, { root });
    const outside = new SqliteConnector({ kind: 'sqlite', file: '../shop.db' }, DEFAULT_POOL_OPTIONS, { root });
    try {
      await connectorFailure(missing.testConnection(), 'CONNECTION_FAILED');
      await connectorFailure(outside.testConnection(), 'INVALID_SETTINGS');
    } finally {
      await missing.close();
      await outside.close();
    }
  });

  it('introspects tables, views and declared types', async () => {
    const { tables } = await connector.introspect();
    expect(tables.map((t) => [t.schema, t.name, t.kind])).toEqual([
      [null, 'numbers', 'table'], [null, 'orders', 'table'], [null, 'paid_orders', 'view'],
    ]);
    const orders = tables.find((t) => t.name === 'orders')!;
    expect(Object.fromEntries(orders.columns.map((c) => [c.name, c.type]))).toEqual({
      id: 'number', label: 'string', code: 'string', amount: 'number', ratio: 'number', paid: 'boolean',
      day: 'date', at: 'timestamp', created: 'timestamp', blob: 'string', anything: 'string',
    });
  });

  it('describes a custom SELECT', async () => {
    const columns = await connector.describeQuery('SELECT id, label, amount * 2 AS twice, day, label || \'!\' AS shout FROM orders;');
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'number'], ['label', 'string'], ['twice', 'number'], ['day', 'date'], ['shout', 'string'],
    ]);
  });

  it('returns rows as arrays of raw values and binds parameters', async () => {
    const { rows } = await collect(connector.execute('SELECT id, label, amount, paid, day, blob FROM orders WHERE id = ?', [1], { readOnly: true }));
    expect(rows).toEqual([[1, 'ételé', 12.5, 1, '2024-02-29', Buffer.from([1, 2])]]);
    const bound = await collect(connector.execute('SELECT ?, ?, ?', [true, null, 'x'], { readOnly: true }));
    expect(bound.rows).toEqual([[1, null, 'x']]);
  });

  it('registers the configured deterministic functions on its connections', async () => {
    const { rows } = await collect(connector.execute("SELECT sl_upper(label), sl_join(id, code, 'z') FROM orders WHERE id = 1", [], { readOnly: true }));
    expect(rows).toEqual([['ÉTELÉ', '1|A1|z']]);
  });

  it("registers the compiler's functions by default", async () => {
    const plain = new SqliteConnector(settings, DEFAULT_POOL_OPTIONS, { root });
    try {
      const { rows } = await collect(plain.execute("SELECT sl_upper('ételé'), sl_round(12.35, 1)", [], { readOnly: true }));
      expect(rows).toEqual([['ÉTELÉ', 12.4]]);
    } finally {
      await plain.close();
    }
  });

  it('streams a 50,000-row result in chunks', async () => {
    const { rows, chunks } = await collect(connector.execute('SELECT n FROM numbers ORDER BY n', [], { chunkSize: 5000, readOnly: true }));
    expect(rows.length).toBe(50_000);
    expect(chunks).toEqual(Array(10).fill(5000));
  });

  describe('read-only', () => {
    it.each([
      ['an INSERT', "INSERT INTO orders (id) VALUES (99) RETURNING id"],
      ['a DELETE', 'DELETE FROM orders RETURNING id'],
      ['DDL', 'DROP TABLE numbers'],
      ['an ATTACH', "ATTACH DATABASE 'other.db' AS other"],
      ['a pragma change', 'PRAGMA query_only = OFF'],
    ])('refuses %s with READ_ONLY_VIOLATION and changes nothing', async (_what, sql) => {
      await connectorFailure(collect(connector.execute(sql, [], { readOnly: true })), 'READ_ONLY_VIOLATION');
      expect(rowCount('orders')).toBe(2);
      expect(rowCount('numbers')).toBe(50_000);
    });

    it('refuses writes even when the execution does not ask for read-only', async () => {
      await connectorFailure(collect(connector.execute('DELETE FROM orders RETURNING id', [], { readOnly: false })), 'READ_ONLY_VIOLATION');
      expect(rowCount('orders')).toBe(2);
    });
  });

  describe('cancellation of a statement inside native code', () => {
    it('kills the process on abort: the statement stops and the datasource runs new queries', async () => {
      const controller = new AbortController();
      const run = collect(connector.execute(ENDLESS, [], { signal: controller.signal }));
      // Let the statement get deep into sqlite3_step before aborting.
      await new Promise((r) => setTimeout(r, 700));
      const pids = connector.processIds();
      expect(pids.length).toBeGreaterThan(0);
      expect(pids.every(isAlive)).toBe(true);
      const started = Date.now();
      controller.abort();
      await connectorFailure(run, 'CANCELLED');
      expect(elapsedSince(started)).toBeLessThan(1000);
      // The process that was running the statement is gone (SIGKILL, reaped): nothing runs it.
      const killed = pids.filter((pid) => !connector.processIds().includes(pid));
      expect(killed.length).toBe(1);
      expect(isAlive(killed[0]!)).toBe(false);
      const { rows } = await collect(connector.execute('SELECT count(*) FROM orders', [], { readOnly: true }));
      expect(rows).toEqual([[2]]);
    });

    it('stops a long statement at its time limit', async () => {
      const started = Date.now();
      await connectorFailure(collect(connector.execute(ENDLESS, [], { timeoutMs: 500 })), 'TIMEOUT');
      expect(elapsedSince(started)).toBeLessThan(2000);
      const { rows } = await collect(connector.execute('SELECT 1', [], { readOnly: true }));
      expect(rows).toEqual([[1]]);
    });

    it('does not leak processes through cancels and early exits', async () => {
      for (let i = 0; i < 4; i++) {
        const abort = new AbortController();
        const run = collect(connector.execute(ENDLESS, [], { signal: abort.signal }));
        setTimeout(() => abort.abort(), 30);
        await connectorFailure(run, 'CANCELLED');
        for await (const chunk of connector.execute('SELECT n FROM numbers', [], { chunkSize: 10 })) {
          expect(chunk.length).toBe(10);
          break;
        }
      }
      const live = connector.processIds();
      expect(live.length).toBeLessThanOrEqual(2);
      expect(live.every(isAlive)).toBe(true);
    });

    it('leaves no process behind after close', async () => {
      const other = new SqliteConnector(settings, DEFAULT_POOL_OPTIONS, { root });
      const controller = new AbortController();
      const run = collect(other.execute(ENDLESS, [], { signal: controller.signal }));
      await new Promise((r) => setTimeout(r, 500));
      const pids = other.processIds();
      await other.close();
      await connectorFailure(run, 'CANCELLED');
      expect(pids.some(isAlive)).toBe(false);
    });
  });
});
