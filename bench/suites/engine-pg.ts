/**
 * The engine end to end on PostgreSQL — compileQuery, then the query runner's `executeCompiled`
 * (the connector's execute, bounded by the compiled LIMIT, and the row decoder) — against the
 * same SQL and parameters sent with one `client.query`, over a million-row table in a database
 * created for the run and dropped after it.
 */
import os from 'node:os';
import pg from 'pg';
import { compileQuery, type SourceColumn, type SourceRef } from '../../query';
import { ConnectorRegistry, DEFAULT_CHUNK_SIZE, type Connector } from '../../workers/connectors';
import { executeCompiled } from '../../workers/query-runner/execute-query';
import { PG_ADMIN, createPgDatabase } from '../../testkit/services';
import { ORDERS_ROWS, createOrdersTable } from '../engine/orders-table';
import { plannedWorkers } from '../engine/plan';
import { ENGINE_QUERIES, FORMULAS, type EngineQuery } from '../engine/queries';
import { runEngine as runStreamed, runRaw, type EngineInput } from '../engine/runs';
import { onInterrupt } from '../lib/cleanup';
import { now, since } from '../lib/clock';
import { progress } from '../lib/progress';
import { compare } from '../lib/result';
import { pairAsync, type Bounds } from '../lib/sample';
import { summarizeDurations } from '../lib/stats';
import type { BenchResult, BenchSuite, Measurement } from '../lib/types';

const TARGET_RATIO = 1.05;
const BOUNDS: Bounds = { warmup: 3, minRounds: 12, maxRounds: 40, budgetMs: 8_000 };
const SOURCE: SourceRef = { kind: 'table', schema: 'public', table: 'orders' };
const ENGINE_LABEL = `engine: compile + executeCompiled (connector.execute with maxRows, chunks of ${DEFAULT_CHUNK_SIZE}, read-only, timeout) + decode`;
const STREAMED_LABEL = `compile + connector.execute without maxRows (cursor, chunks of ${DEFAULT_CHUNK_SIZE}, read-only) + decode`;
const RAW_LABEL = 'pg client.query, same SQL and params';
/** What a query job passes; it costs one set_config round trip, as in production. */
const JOB_TIMEOUT_MS = 60_000;
const NEVER = new AbortController().signal;

interface Bench {
  connector: Connector;
  raw: pg.Client;
  columns: SourceColumn[];
}

async function ordersColumns(connector: Connector): Promise<SourceColumn[]> {
  const { tables } = await connector.introspect();
  const orders = tables.find((t) => t.schema === 'public' && t.name === 'orders');
  if (!orders) throw new Error('the orders table is missing from the introspection');
  return orders.columns;
}

/** What a query runner does for one query job. */
async function runEngine(input: EngineInput): Promise<unknown[][]> {
  const compiled = compileQuery({ dialect: 'postgres', source: input.source, columns: input.columns, formulas: input.formulas, query: input.query });
  const result = await executeCompiled(input.connector, compiled, { signal: NEVER, timeoutMs: JOB_TIMEOUT_MS });
  return result.rows;
}

async function measurePair(
  engine: () => Promise<unknown>,
  label: string,
  bench: Bench,
  sql: string,
  params: readonly unknown[],
): Promise<{ figure: Measurement; baseline: Measurement }> {
  const samples = await pairAsync(engine, () => runRaw(bench.raw, sql, params), BOUNDS);
  return {
    figure: { label, unit: 'ms', stats: summarizeDurations(samples.a, 'ms') },
    baseline: { label: RAW_LABEL, unit: 'ms', stats: summarizeDurations(samples.b, 'ms') },
  };
}

async function benchQuery(bench: Bench, q: EngineQuery): Promise<BenchResult[]> {
  const compiled = compileQuery({ dialect: 'postgres', source: SOURCE, columns: bench.columns, formulas: FORMULAS, query: q.query });
  const input: EngineInput = { connector: bench.connector, source: SOURCE, columns: bench.columns, formulas: FORMULAS, query: q.query };
  const [engineRows, rawRows] = [await runEngine(input), await runRaw(bench.raw, compiled.sql, compiled.params)];
  if (engineRows.length !== rawRows.length) throw new Error(`${q.name}: the engine returned ${engineRows.length} rows, pg ${rawRows.length}`);
  const workers = await plannedWorkers(bench.raw, compiled.sql, compiled.params);

  progress(`engine-pg · ${q.name}`);
  const main = await measurePair(() => runEngine(input), ENGINE_LABEL, bench, compiled.sql, compiled.params);
  const notes = [`${engineRows.length} result rows from ${ORDERS_ROWS.toLocaleString('en-US')}; PostgreSQL plans ${workers} parallel worker(s) for it`];
  const result = compare(q.name, main.figure, main.baseline, { target: TARGET_RATIO, notes });
  if (workers === 0) return [result];

  // Unbounded executions (custom scripts, exports) still stream through a cursor, which
  // fetches with a row count: PostgreSQL never runs such a portal with parallel workers.
  progress(`engine-pg · ${q.name} · streamed through a cursor`);
  const streamed = await measurePair(() => runStreamed(input), STREAMED_LABEL, bench, compiled.sql, compiled.params);
  const diagnostic = compare(`${q.name} · streamed (no maxRows)`, streamed.figure, streamed.baseline, {
    notes: ['diagnostic: the cursor path an unbounded execution takes, without the parallel workers the baseline gets'],
  });
  return [result, diagnostic];
}

const suite: BenchSuite = {
  name: 'engine-pg',
  description: `ms per aggregate query over ${ORDERS_ROWS.toLocaleString('en-US')} rows: the engine against a bare pg call, alternated`,
  async run() {
    const db = await createPgDatabase('sl_bench');
    const forget = onInterrupt(() => db.drop());
    const registry = new ConnectorRegistry({ sqliteRoot: os.tmpdir(), sqliteFunctions: null });
    const raw = new pg.Client({ ...PG_ADMIN, database: db.name, application_name: 'sightline-bench' });
    try {
      await raw.connect();
      progress(`engine-pg · generating ${ORDERS_ROWS.toLocaleString('en-US')} rows in ${db.name}`);
      const t0 = now();
      await createOrdersTable(raw);
      progress(`engine-pg · table ready in ${(since(t0) / 1e9).toFixed(1)} s`);
      const connector = registry.get('bench-orders', {
        kind: 'postgres', host: PG_ADMIN.host, port: PG_ADMIN.port, database: db.name, user: PG_ADMIN.user, password: '', sslMode: 'disable',
      });
      const bench: Bench = { connector, raw, columns: await ordersColumns(connector) };
      const results: BenchResult[] = [];
      for (const q of ENGINE_QUERIES) results.push(...(await benchQuery(bench, q)));
      return results;
    } finally {
      await registry.closeAll().catch(() => undefined);
      await raw.end().catch(() => undefined);
      await db.drop();
      forget();
    }
  },
};

export default suite;
