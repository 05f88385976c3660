import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresConnector } from '../../connectors/postgres/postgres-connector';
import type { PostgresSettings } from '../../connectors/settings';
import { DEFAULT_POOL_OPTIONS, MAX_BUFFERED_ROWS } from '../../connectors/types';
import { PG_ADMIN, createPgDatabase, hasService, type TempDatabase } from '../../../testkit/services';
import { collect, connectorFailure, elapsedSince, waitUntil } from './helpers';

const available = await hasService('postgres');

describe.runIf(available)('PostgreSQL connector', () => {
  let db: TempDatabase;
  let settings: PostgresSettings;
  let connector: PostgresConnector;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await createPgDatabase('sl_conn_pg');
    settings = {
      kind: 'postgres',
      host: PG_ADMIN.host,
      port: PG_ADMIN.port,
      database: db.name,
      user: PG_ADMIN.user,
      password: '',
      sslMode: 'disable',
    };
    admin = new pg.Client({ ...PG_ADMIN, database: db.name });
    await admin.connect();
    await admin.query(`
      CREATE TYPE mood AS ENUM ('happy', 'sad');
      CREATE DOMAIN price AS numeric(12, 2);
      CREATE SCHEMA sales;
      CREATE TABLE sales.orders (
        id bigint PRIMARY KEY, code uuid, label varchar(40), note text, initial char(1), feeling mood,
        qty integer, small smallint, amount numeric(10, 2), unit price, ratio double precision, share real,
        paid boolean, day date, at timestamp, at_tz timestamptz, tags text[], extra jsonb);
      INSERT INTO sales.orders VALUES
        (1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'first', 'n', 'F', 'happy', 3, 1, 12.50, 4.17, 0.5, 0.25,
         true, '2024-02-29', '2024-02-29 13:45:00', '2024-02-29 13:45:00+02', '{a,b}', '{"k": 1}'),
        (2, NULL, 'second', NULL, NULL, 'sad', NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL);
      CREATE VIEW sales.paid_orders AS SELECT id, amount FROM sales.orders WHERE paid;
      CREATE TABLE public.numbers AS SELECT g AS n FROM generate_series(1, 50000) g;
      CREATE TABLE public.audit (note text);
      CREATE FUNCTION public.write_audit() RETURNS int LANGUAGE plpgsql AS
        $$ BEGIN INSERT INTO public.audit VALUES ('written'); RETURN 1; END $$;
    `);
    connector = new PostgresConnector(settings, { ...DEFAULT_POOL_OPTIONS, maxConnections: 2 });
  });

  afterAll(async () => {
    await connector?.close();
    await admin?.end();
    await db?.drop();
  });

  async function count(sql: string): Promise<number> {
    const result = await admin.query<{ n: string }>(sql);
    return Number(result.rows[0]?.n);
  }

  /** Parallel workers seen in pg_stat_activity while `run` was running, and its rows. */
  async function workersSeen(run: Promise<{ rows: unknown[] }>): Promise<{ rows: unknown[]; workers: number }> {
    let done = false;
    const settled = run.finally(() => {
      done = true;
    });
    let workers = 0;
    while (!done) {
      const seen = await count(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'parallel worker' AND datname = current_database()`,
      );
      workers = Math.max(workers, seen);
      await new Promise((r) => setTimeout(r, 10));
    }
    return { rows: (await settled).rows, workers };
  }

  describe('testConnection', () => {
    it('reports the server version', async () => {
      const result = await connector.testConnection();
      expect(result.ok).toBe(true);
      expect(result.serverVersion).toMatch(/^PostgreSQL \d+/);
    });

    it('fails with AUTH_FAILED for an unknown user, without the password in the message', async () => {
      // The test server trusts every local user, so a wrong password alone is accepted here.
      const bad = new PostgresConnector({ ...settings, user: 'no_such_user_sl', password: 'Wr0ng-P4ssw0rd' }, DEFAULT_POOL_OPTIONS);
      try {
        const err = await connectorFailure(bad.testConnection(), 'AUTH_FAILED');
        expect(err.message).not.toContain('Wr0ng-P4ssw0rd');
      } finally {
        await bad.close();
      }
    });

    it('fails with CONNECTION_FAILED on a closed port', async () => {
      const bad = new PostgresConnector({ ...settings, port: 1, password: 'Wr0ng-P4ssw0rd' }, DEFAULT_POOL_OPTIONS);
      try {
        const err = await connectorFailure(bad.testConnection(), 'CONNECTION_FAILED');
        expect(err.message).not.toContain('Wr0ng-P4ssw0rd');
      } finally {
        await bad.close();
      }
    });
  });

  it('introspects tables, views and column types', async () => {
    const { tables } = await connector.introspect();
    const orders = tables.find((t) => t.schema === 'sales' && t.name === 'orders');
    const view = tables.find((t) => t.schema === 'sales' && t.name === 'paid_orders');
    expect(orders?.kind).toBe('table');
    expect(view?.kind).toBe('view');
    expect(view?.columns.map((c) => c.name)).toEqual(['id', 'amount']);
    const types = Object.fromEntries(orders!.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({
      id: 'number', code: 'string', label: 'string', note: 'string', initial: 'string', feeling: 'string',
      qty: 'number', small: 'number', amount: 'number', unit: 'number', ratio: 'number', share: 'number',
      paid: 'boolean', day: 'date', at: 'timestamp', at_tz: 'timestamp', tags: 'string', extra: 'string',
    });
    const native = Object.fromEntries(orders!.columns.map((c) => [c.name, c.nativeType]));
    expect(native.amount).toBe('numeric(10,2)');
    expect(native.unit).toBe('numeric(12,2)');
    expect(native.at_tz).toBe('timestamp with time zone');
    expect(tables.some((t) => t.schema === 'pg_catalog' || t.schema === 'information_schema')).toBe(false);
  });

  it('describes a custom SELECT without running it for rows', async () => {
    const columns = await connector.describeQuery(
      'SELECT id, feeling, amount * 2 AS double_amount, day, at_tz, paid FROM sales.orders -- trailing comment',
    );
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'number'], ['feeling', 'string'], ['double_amount', 'number'], ['day', 'date'], ['at_tz', 'timestamp'], ['paid', 'boolean'],
    ]);
  });

  it('returns raw text values as arrays, in UTC', async () => {
    const { rows } = await collect(
      connector.execute('SELECT id, amount, paid, day, at_tz, feeling FROM sales.orders WHERE id = $1', [1], { readOnly: true }),
    );
    expect(rows).toEqual([['1', '12.50', 't', '2024-02-29', '2024-02-29 11:45:00+00', 'happy']]);
  });

  it('streams a 50,000-row result in chunks', async () => {
    const { rows, chunks } = await collect(
      connector.execute('SELECT n FROM numbers ORDER BY n', [], { chunkSize: 5000, readOnly: true }),
    );
    expect(rows.length).toBe(50_000);
    expect(chunks.length).toBe(10);
    expect(Math.max(...chunks)).toBe(5000);
    expect(rows[49_999]).toEqual(['50000']);
  });

  describe('bounded results (maxRows)', () => {
    it('return the same rows as the cursor, in chunks of at most chunkSize', async () => {
      const sql = 'SELECT n, n % 7 AS r FROM numbers WHERE n > $1 ORDER BY n LIMIT 40001';
      const streamed = await collect(connector.execute(sql, [5000], { chunkSize: 3000, readOnly: true }));
      const bounded = await collect(connector.execute(sql, [5000], { chunkSize: 3000, readOnly: true, maxRows: 40_001 }));
      expect(bounded.rows).toEqual(streamed.rows);
      expect(bounded.rows.length).toBe(40_001);
      expect(bounded.chunks).toEqual(streamed.chunks);
      expect(Math.max(...bounded.chunks)).toBe(3000);
      expect(bounded.chunks.at(-1)).toBe(40_001 % 3000);
    });

    it('return raw text values in UTC and an empty result as no chunk', async () => {
      const one = await collect(
        connector.execute('SELECT id, amount, paid, at_tz FROM sales.orders WHERE id = $1', [1], { readOnly: true, maxRows: 1 }),
      );
      expect(one.rows).toEqual([['1', '12.50', 't', '2024-02-29 11:45:00+00']]);
      const none = await collect(connector.execute('SELECT n FROM numbers WHERE n < 0 LIMIT 10', [], { maxRows: 10 }));
      expect(none.chunks).toEqual([]);
    });

    it('refuse several statements even without parameters', async () => {
      const sql = "SELECT 1; COMMIT; INSERT INTO audit VALUES ('x'); SELECT 1";
      await connectorFailure(collect(connector.execute(sql, [], { readOnly: true, maxRows: 1 })), 'QUERY_FAILED');
      expect(await count('SELECT count(*) AS n FROM audit')).toBe(0);
    });

    it('run with the parallel workers PostgreSQL plans, which a cursor never gets', async () => {
      // Settings for new sessions only, so a connector of its own; parallel plans for a small table.
      const costs = ['min_parallel_table_scan_size = 0', 'parallel_setup_cost = 0', 'parallel_tuple_cost = 0'];
      for (const setting of costs) await admin.query(`ALTER DATABASE ${db.name} SET ${setting}`);
      const parallel = new PostgresConnector(settings, { ...DEFAULT_POOL_OPTIONS, maxConnections: 1 });
      try {
        const sql = 'SELECT n FROM numbers WHERE CASE WHEN n % 12500 = 0 THEN pg_sleep(0.25) IS NOT NULL ELSE false END LIMIT 10';
        const bounded = await workersSeen(collect(parallel.execute(sql, [], { readOnly: true, maxRows: 10 })));
        const streamed = await workersSeen(collect(parallel.execute(sql, [], { readOnly: true })));
        expect(bounded.rows.length).toBe(4);
        expect(streamed.rows.length).toBe(4);
        expect(bounded.workers).toBeGreaterThan(0);
        expect(streamed.workers).toBe(0);
      } finally {
        await parallel.close();
        for (const setting of costs) await admin.query(`ALTER DATABASE ${db.name} RESET ${setting.split(' ')[0]}`);
      }
    });

    it('are streamed by the cursor above the buffering bound', async () => {
      const { rows, chunks } = await collect(
        connector.execute('SELECT n FROM numbers ORDER BY n', [], { chunkSize: 25_000, maxRows: MAX_BUFFERED_ROWS + 1 }),
      );
      expect(rows.length).toBe(50_000);
      expect(chunks).toEqual([25_000, 25_000]);
    });
  });

  describe.each([
    ['streamed', {}],
    ['bounded', { maxRows: 1 }],
  ] as const)('%s executions', (_mode, bound) => {
    it('stop a statement at its time limit', async () => {
      const started = Date.now();
      await connectorFailure(collect(connector.execute('SELECT pg_sleep(30)', [], { ...bound, timeoutMs: 400 })), 'TIMEOUT');
      expect(elapsedSince(started)).toBeLessThan(3000);
    });

    it.each([
      ['a write in a CTE', "WITH w AS (INSERT INTO audit VALUES ('cte') RETURNING note) SELECT * FROM w"],
      ['a DELETE', 'DELETE FROM sales.orders'],
      ['a function with side effects', 'SELECT write_audit()'],
      ['DDL', 'DROP TABLE audit'],
    ])('refuse %s with READ_ONLY_VIOLATION when read-only and change nothing', async (_what, sql) => {
      await connectorFailure(collect(connector.execute(sql, [], { ...bound, readOnly: true })), 'READ_ONLY_VIOLATION');
      expect(await count('SELECT count(*) AS n FROM audit')).toBe(0);
      expect(await count('SELECT count(*) AS n FROM sales.orders')).toBe(2);
    });
  });

  it('refuses to end the read-only transaction from a described query', async () => {
    await connectorFailure(connector.describeQuery("SELECT 1) x; COMMIT; INSERT INTO audit VALUES ('x'); SELECT (1"));
    // LIMIT 0 never calls the function; were it called, the transaction would refuse it.
    await connector.describeQuery('SELECT write_audit()');
    expect(await count('SELECT count(*) AS n FROM audit')).toBe(0);
  });

  describe('cancellation', () => {
    async function sleeping(marker: string): Promise<number> {
      return count(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE state = 'active' AND query LIKE '%${marker}%' AND pid <> pg_backend_pid()`,
      );
    }

    /** Pooled connections left inside a transaction: a cleanup that did not happen. */
    async function idleInTransaction(): Promise<number> {
      return count(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'sightline' AND state LIKE 'idle in transaction%'`,
      );
    }

    it.each([
      ['streamed', {}],
      ['bounded', { maxRows: 1 }],
    ] as const)('stops a %s pg_sleep(30) in the server when the signal aborts', async (_mode, bound) => {
      const marker = `sl_cancel_${Date.now()}`;
      const controller = new AbortController();
      const run = collect(connector.execute(`SELECT pg_sleep(30), '${marker}'`, [], { ...bound, signal: controller.signal }));
      await waitUntil(async () => (await sleeping(marker)) === 1, 5000, 'the query to start');
      const started = Date.now();
      controller.abort();
      await connectorFailure(run, 'CANCELLED');
      expect(elapsedSince(started)).toBeLessThan(1500);
      // The server's own view: the backend no longer runs it, within a fraction of a second.
      const gone = await waitUntil(async () => (await sleeping(marker)) === 0, 500, 'the backend to stop');
      expect(gone).toBeLessThan(500);
    });

    it.each([
      ['streamed', {}],
      ['bounded', { maxRows: 10 }],
    ] as const)('ends %s executions with CANCELLED when aborted before starting, and leaves the pool usable', async (_mode, bound) => {
      const controller = new AbortController();
      controller.abort();
      await connectorFailure(collect(connector.execute('SELECT 1', [], { ...bound, signal: controller.signal })), 'CANCELLED');
      // More executions than pool slots, after cancels and early exits: nothing leaked.
      for (let i = 0; i < 5; i++) {
        const abort = new AbortController();
        const run = collect(connector.execute('SELECT pg_sleep(10)', [], { ...bound, signal: abort.signal }));
        setTimeout(() => abort.abort(), 50);
        await connectorFailure(run, 'CANCELLED');
        for await (const chunk of connector.execute('SELECT n FROM numbers LIMIT 10', [], { ...bound, chunkSize: 3 })) {
          expect(chunk.length).toBe(3);
          break;
        }
      }
      const { rows } = await collect(connector.execute('SELECT current_setting($1)', ['TimeZone'], { ...bound, readOnly: true }));
      expect(rows).toEqual([['UTC']]);
      expect(await idleInTransaction()).toBe(0);
    });
  });
});
