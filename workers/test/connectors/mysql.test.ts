import mysql from 'mysql2/promise';
import mysqlCallback from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlConnector } from '../../connectors/mysql/mysql-connector';
import { mysqlConnectionOptions } from '../../connectors/mysql/mysql-driver';
import type { MysqlSettings } from '../../connectors/settings';
import { DEFAULT_POOL_OPTIONS } from '../../connectors/types';
import { MYSQL_ADMIN, createMysqlDatabase, hasService, type TempDatabase } from '../../../testkit/services';
import { collect, connectorFailure, elapsedSince, waitUntil } from './helpers';

const available = await hasService('mariadb');

describe.runIf(available)('MySQL/MariaDB connector', () => {
  let db: TempDatabase;
  let settings: MysqlSettings;
  let connector: MysqlConnector;
  let admin: mysql.Connection;

  beforeAll(async () => {
    db = await createMysqlDatabase('sl_conn_my');
    settings = {
      kind: 'mysql',
      host: MYSQL_ADMIN.host,
      port: MYSQL_ADMIN.port,
      database: db.name,
      user: MYSQL_ADMIN.user,
      password: MYSQL_ADMIN.password,
      sslMode: 'disable',
    };
    admin = await mysql.createConnection({ ...MYSQL_ADMIN, database: db.name, multipleStatements: true });
    await admin.query(`
      CREATE TABLE orders (
        id BIGINT PRIMARY KEY, label VARCHAR(40), note TEXT, initial CHAR(1), feeling ENUM('happy', 'sad'),
        qty INT, small SMALLINT UNSIGNED, amount DECIMAL(10, 2), ratio DOUBLE, share FLOAT,
        paid TINYINT(1), flag BOOLEAN, day DATE, at DATETIME, stamped TIMESTAMP NULL, big BIGINT UNSIGNED);
      INSERT INTO orders VALUES
        (1, 'first', 'n', 'F', 'happy', 3, 1, 12.50, 0.5, 0.25, 1, TRUE, '2024-02-29', '2024-02-29 13:45:00',
         '2024-02-29 13:45:00', 18446744073709551615),
        (2, 'second', NULL, NULL, 'sad', NULL, NULL, NULL, NULL, NULL, 0, FALSE, NULL, NULL, NULL, NULL);
      CREATE VIEW paid_orders AS SELECT id, amount FROM orders WHERE paid = 1;
      CREATE TABLE digits (d INT);
      INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
      CREATE TABLE numbers (n INT PRIMARY KEY);
      INSERT INTO numbers
        SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 1
        FROM digits a, digits b, digits c, digits e, digits f WHERE f.d < 5;
      CREATE TABLE audit (note VARCHAR(20));
      CREATE FUNCTION write_audit() RETURNS INT MODIFIES SQL DATA
        BEGIN INSERT INTO audit VALUES ('written'); RETURN 1; END;
    `);
    connector = new MysqlConnector(settings, { ...DEFAULT_POOL_OPTIONS, maxConnections: 2 });
  });

  afterAll(async () => {
    await connector?.close();
    await admin?.end();
    await db?.drop();
  });

  async function count(sql: string): Promise<number> {
    const [rows] = await admin.query<mysql.RowDataPacket[]>(sql);
    return Number(rows[0]?.n);
  }

  describe('testConnection', () => {
    it('reports the server version', async () => {
      const result = await connector.testConnection();
      expect(result).toEqual({ ok: true, serverVersion: expect.stringMatching(/^\d+\.\d+/) });
    });

    it('fails with AUTH_FAILED for a wrong password, without the password in the message', async () => {
      const bad = new MysqlConnector({ ...settings, password: 'Wr0ng-P4ssw0rd' }, DEFAULT_POOL_OPTIONS);
      try {
        const err = await connectorFailure(bad.testConnection(), 'AUTH_FAILED');
        expect(err.message).not.toContain('Wr0ng-P4ssw0rd');
      } finally {
        await bad.close();
      }
    });

    it('fails with CONNECTION_FAILED on a closed port', async () => {
      const bad = new MysqlConnector({ ...settings, port: 1 }, DEFAULT_POOL_OPTIONS);
      try {
        await connectorFailure(bad.testConnection(), 'CONNECTION_FAILED');
      } finally {
        await bad.close();
      }
    });
  });

  it('introspects tables, views and column types', async () => {
    const { tables } = await connector.introspect();
    expect(tables.map((t) => [t.name, t.kind])).toEqual([
      ['audit', 'table'], ['digits', 'table'], ['numbers', 'table'], ['orders', 'table'], ['paid_orders', 'view'],
    ]);
    const orders = tables.find((t) => t.name === 'orders')!;
    expect(orders.schema).toBeNull();
    expect(Object.fromEntries(orders.columns.map((c) => [c.name, c.type]))).toEqual({
      id: 'number', label: 'string', note: 'string', initial: 'string', feeling: 'string', qty: 'number',
      small: 'number', amount: 'number', ratio: 'number', share: 'number', paid: 'boolean', flag: 'boolean',
      day: 'date', at: 'timestamp', stamped: 'timestamp', big: 'number',
    });
    expect(orders.columns.find((c) => c.name === 'amount')?.nativeType).toBe('decimal(10,2)');
  });

  it('describes a custom SELECT from the result metadata', async () => {
    const columns = await connector.describeQuery(
      "SELECT id, label, feeling, amount * 2 AS twice, paid, day, at, 'what?' AS q FROM orders WHERE label <> '?';",
    );
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'number'], ['label', 'string'], ['feeling', 'string'], ['twice', 'number'],
      ['paid', 'boolean'], ['day', 'date'], ['at', 'timestamp'], ['q', 'string'],
    ]);
  });

  it('returns strings for dates, decimals and big numbers, as arrays, in UTC', async () => {
    const { rows } = await collect(
      connector.execute(
        "SELECT id, amount, paid, day, at, stamped, big, @@session.time_zone, 'a?b' FROM orders WHERE id = ?",
        [1],
        { readOnly: true },
      ),
    );
    // BIGINT arrives as a string: it may exceed a double's exact range.
    expect(rows).toEqual([['1', '12.50', 1, '2024-02-29', '2024-02-29 13:45:00', '2024-02-29 13:45:00', '18446744073709551615', '+00:00', 'a?b']]);
  });

  it('streams a 50,000-row result in chunks', async () => {
    const { rows, chunks } = await collect(
      connector.execute('SELECT n FROM numbers ORDER BY n', [], { chunkSize: 5000, readOnly: true }),
    );
    expect(rows.length).toBe(50_000);
    expect(chunks.length).toBe(10);
    expect(rows[49_999]).toEqual([50_000]);
  });

  it('stops a statement at its time limit (max_statement_time on MariaDB)', async () => {
    const started = Date.now();
    await connectorFailure(collect(connector.execute('SELECT SLEEP(30)', [], { timeoutMs: 400 })), 'TIMEOUT');
    expect(elapsedSince(started)).toBeLessThan(3000);
  });

  describe('read-only executions', () => {
    it.each([
      ['an INSERT', "INSERT INTO audit VALUES ('direct')"],
      ['a DELETE', 'DELETE FROM orders'],
      ['a function with side effects', 'SELECT write_audit()'],
      // DDL commits the open transaction implicitly: only the session-level read-only stops it.
      ['DDL', 'DROP TABLE audit'],
    ])('refuse %s with READ_ONLY_VIOLATION and change nothing', async (_what, sql) => {
      await connectorFailure(collect(connector.execute(sql, [], { readOnly: true })), 'READ_ONLY_VIOLATION');
      expect(await count('SELECT count(*) AS n FROM audit')).toBe(0);
      expect(await count('SELECT count(*) AS n FROM orders')).toBe(2);
    });
  });

  describe('LOAD DATA LOCAL INFILE', () => {
    it('is refused by the driver settings, even in a writable transaction', async () => {
      const conn = mysqlCallback.createConnection(mysqlConnectionOptions(settings, 5000));
      try {
        const err = await new Promise<{ errno?: number; message?: string } | null>((resolve) =>
          conn.query("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE audit", (e) => resolve(e)),
        );
        expect(err).not.toBeNull();
        // 1148 (MySQL) / 4166 (MariaDB): the client did not offer the local-infile capability.
        expect([1148, 4166]).toContain(err?.errno);
        expect(err?.message).toMatch(/local infile|not allowed/i);
      } finally {
        conn.destroy();
      }
      expect(await count('SELECT count(*) AS n FROM audit')).toBe(0);
    });

    it('gives a server asking for a file an erroring stream, never the file', async () => {
      const factory = mysqlConnectionOptions(settings, 5000).infileStreamFactory!;
      const stream = factory('/etc/hostname');
      const outcome = await new Promise<string>((resolve) => {
        stream.on('data', () => resolve('data'));
        stream.on('error', (e: Error) => resolve(e.message));
      });
      expect(outcome).toMatch(/not allowed/);
    });

    it('fails through the connector too', async () => {
      await connectorFailure(
        collect(connector.execute("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE audit", [], { readOnly: false })),
      );
      expect(await count('SELECT count(*) AS n FROM audit')).toBe(0);
    });
  });

  describe('cancellation', () => {
    async function running(marker: string): Promise<number> {
      return count(
        `SELECT count(*) AS n FROM information_schema.PROCESSLIST
         WHERE INFO LIKE '%${marker}%' AND ID <> CONNECTION_ID() AND COMMAND <> 'Sleep'`,
      );
    }

    it('stops SLEEP(30) in the server (KILL QUERY) when the signal aborts', async () => {
      const marker = `sl_cancel_${Date.now()}`;
      const controller = new AbortController();
      const run = collect(connector.execute(`SELECT SLEEP(30), '${marker}'`, [], { signal: controller.signal }));
      await waitUntil(async () => (await running(marker)) === 1, 5000, 'the query to start');
      const started = Date.now();
      controller.abort();
      await connectorFailure(run, 'CANCELLED');
      expect(elapsedSince(started)).toBeLessThan(1500);
      const gone = await waitUntil(async () => (await running(marker)) === 0, 500, 'the server to stop the query');
      expect(gone).toBeLessThan(500);
    });

    it('leaves the pool usable after cancels and early exits', async () => {
      for (let i = 0; i < 5; i++) {
        const abort = new AbortController();
        const run = collect(connector.execute('SELECT SLEEP(10)', [], { signal: abort.signal }));
        setTimeout(() => abort.abort(), 50);
        await connectorFailure(run, 'CANCELLED');
        for await (const chunk of connector.execute('SELECT n FROM numbers', [], { chunkSize: 10 })) {
          expect(chunk.length).toBe(10);
          break;
        }
      }
      const { rows } = await collect(connector.execute('SELECT @@session.time_zone, 1', [], { readOnly: true }));
      expect(rows).toEqual([['+00:00', 1]]);
    });
  });
});
