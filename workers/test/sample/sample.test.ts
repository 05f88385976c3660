import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteConnector } from '../../connectors/sqlite/sqlite-connector';
import { DEFAULT_POOL_OPTIONS } from '../../connectors/types';
import { ensureSampleDatabase, SAMPLE_FILE_NAME, type SampleDatabase } from '../../sample';

/** A digest of the whole table's content, in a fixed order. */
function fingerprint(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT count(*), count(DISTINCT order_id), sum(order_id), round(sum(amount), 2), round(sum(cost), 2),
                sum(quantity), sum(returned), min(ordered_at), max(ordered_at),
                group_concat(country || city || product || channel || customer_segment, ',')
         FROM (SELECT * FROM orders ORDER BY rowid)`,
      )
      .raw(true)
      .get() as unknown[];
  } finally {
    db.close();
  }
}

describe('sample datasource', () => {
  let dirs: string[] = [];
  let sample: SampleDatabase;

  beforeAll(async () => {
    dirs = [await mkdtemp(path.join(tmpdir(), 'sl-sample-a-')), await mkdtemp(path.join(tmpdir(), 'sl-sample-b-'))];
    sample = await ensureSampleDatabase(dirs[0]!);
    console.info(`sample database generated in ${sample.generatedInMs} ms`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('writes an orders table of 300,000 lines over 2021–2025, quickly', () => {
    expect(sample.file).toBe(path.join(dirs[0]!, SAMPLE_FILE_NAME));
    expect(sample.table).toBe('orders');
    expect(sample.generatedInMs).toBeGreaterThan(0);
    expect(sample.generatedInMs).toBeLessThan(20_000);
    const db = new Database(sample.file, { readonly: true });
    try {
      const [rows, orders, first, last, countries, categories] = db
        .prepare(
          `SELECT count(*), count(DISTINCT order_id), min(order_date), max(order_date),
                  count(DISTINCT country), count(DISTINCT category) FROM orders`,
        )
        .raw(true)
        .get() as [number, number, string, string, number, number];
      expect(rows).toBe(300_000);
      expect(orders).toBeGreaterThan(100_000);
      expect(orders).toBeLessThan(rows);
      expect(first.startsWith('2021-01')).toBe(true);
      expect(last.startsWith('2025-12')).toBe(true);
      expect(countries).toBe(15);
      expect(categories).toBe(8);
    } finally {
      db.close();
    }
  });

  it('has plausible growth, seasonality and consistent values', () => {
    const db = new Database(sample.file, { readonly: true });
    try {
      const byYear = db.prepare(`SELECT substr(order_date, 1, 4), sum(amount) FROM orders GROUP BY 1 ORDER BY 1`).raw(true).all() as [string, number][];
      for (let i = 1; i < byYear.length; i++) expect(byYear[i]![1]).toBeGreaterThan(byYear[i - 1]![1]);
      const [dec, jul] = ['12', '07'].map(
        (m) => db.prepare(`SELECT count(*) FROM orders WHERE order_date LIKE '2024-${m}-%'`).pluck().get() as number,
      );
      expect(dec!).toBeGreaterThan(jul! * 1.5);
      const bad = db
        .prepare(
          `SELECT count(*) FROM orders WHERE quantity < 1 OR amount < 0 OR discount NOT BETWEEN 0 AND 0.5
             OR returned NOT IN (0, 1) OR substr(ordered_at, 1, 10) <> order_date
             OR abs(amount - round(quantity * unit_price * (1 - discount), 2)) > 0.011`,
        )
        .pluck()
        .get();
      expect(bad).toBe(0);
    } finally {
      db.close();
    }
  });

  it('lists its formulas in the formula syntax', () => {
    const byName = Object.fromEntries(sample.formulas.map((f) => [f.name, f.expression]));
    expect(byName).toMatchObject({
      margin: '[amount] - [cost]',
      margin_rate: 'SUM([amount] - [cost]) / SUM([amount])',
      avg_basket: 'SUM([amount]) / COUNT_DISTINCT([order_id])',
      is_big: '[amount] >= 500',
    });
  });

  it('is deterministic: a second generation elsewhere has the same content', async () => {
    const other = await ensureSampleDatabase(dirs[1]!);
    expect(other.generatedInMs).not.toBeNull();
    expect(fingerprint(other.file)).toEqual(fingerprint(sample.file));
  }, 60_000);

  it('is reused once it exists', async () => {
    const again = await ensureSampleDatabase(dirs[0]!);
    expect(again.generatedInMs).toBeNull();
    expect(again.file).toBe(sample.file);
  });

  it('reads through the SQLite connector with the expected field types', async () => {
    const connector = new SqliteConnector({ kind: 'sqlite', file: SAMPLE_FILE_NAME }, DEFAULT_POOL_OPTIONS, { root: dirs[0]! });
    try {
      const { tables } = await connector.introspect();
      const orders = tables.find((t) => t.name === 'orders')!;
      expect(Object.fromEntries(orders.columns.map((c) => [c.name, c.type]))).toMatchObject({
        order_id: 'number', order_date: 'date', ordered_at: 'timestamp', country: 'string', quantity: 'number',
        unit_price: 'number', amount: 'number', discount: 'number', cost: 'number', returned: 'boolean', channel: 'string',
      });
    } finally {
      await connector.close();
    }
  });
});
