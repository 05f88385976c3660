/**
 * A dashboard of 20 widgets opened by 200 viewers at once, cold (the data just changed: empty
 * cache) and warm (cached), against one viewer alone opening the same dashboard in the same run.
 *
 * Setup: the distributed deployment as real processes — two API processes and two worker
 * processes (`bin/api.ts`, `bin/worker.ts`, started by api/test/distributed/cluster.ts) with the
 * product's default concurrency, on a fresh PostgreSQL metadata database and the loopback Redis
 * under a prefix of their own. The warehouse is a fresh PostgreSQL database with `orders`
 * (100,000 rows). The viewers are graphql-ws clients in this process (which runs nothing else):
 * one WebSocket per viewer, half of them on each API, each opening the dashboard as a wall
 * display does — one `liveQuery` subscription per widget, all 20 at once. A widget's time is
 * from its subscribe message to its first DONE result.
 *
 * Executions are counted by the warehouse itself: the datasource's SQL reads a materialized CTE
 * that calls a plpgsql function once per execution (`pg_stat_user_functions`), next to the jobs
 * the platform recorded (`query_jobs`). A cold open must execute each distinct query once,
 * whatever the number of viewers; a warm one nothing.
 */
import pg from 'pg';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createPgDatabase, PG_ADMIN, type TempDatabase } from '../../testkit/services';
import { Cluster } from '../../api/test/distributed/cluster';
import { onInterrupt } from '../lib/cleanup';
import { now, since } from '../lib/clock';
import { progress } from '../lib/progress';
import { compare } from '../lib/result';
import { summarizeDurations } from '../lib/stats';
import type { BenchResult, BenchSuite, Measurement } from '../lib/types';

const VIEWERS = Number(process.env['BENCH_DASHBOARD_VIEWERS'] ?? 200);
const ROUNDS = Number(process.env['BENCH_DASHBOARD_ROUNDS'] ?? 3);
const ROWS = 100_000;
const OPEN_TIMEOUT_MS = 120_000;
const COUNTER = 'sl_dash_exec';

/** Twenty widgets as a dashboard would have them: KPIs, breakdowns, time series, top-N. */
const WIDGETS: { name: string; query: Record<string, unknown> }[] = [
  { name: 'orders (KPI)', query: { measures: [{ agg: 'count' }] } },
  { name: 'revenue (KPI)', query: { measures: [{ agg: 'sum', field: 'amount' }] } },
  { name: 'average order (KPI)', query: { measures: [{ agg: 'avg', field: 'amount' }] } },
  { name: 'units (KPI)', query: { measures: [{ agg: 'sum', field: 'qty' }] } },
  { name: 'orders by country', query: { dimensions: ['country'], measures: [{ agg: 'count' }] } },
  { name: 'revenue by country', query: { dimensions: ['country'], measures: [{ agg: 'sum', field: 'amount' }], orderBy: [{ field: 'sum_amount', dir: 'desc' }] } },
  { name: 'average by category', query: { dimensions: ['category'], measures: [{ agg: 'avg', field: 'amount' }] } },
  { name: 'orders by category', query: { dimensions: ['category'], measures: [{ agg: 'count' }] } },
  { name: 'units by month', query: { dimensions: [{ field: 'ordered_at', granularity: 'month' }], measures: [{ agg: 'sum', field: 'qty' }] } },
  { name: 'revenue by quarter', query: { dimensions: [{ field: 'ordered_at', granularity: 'quarter' }], measures: [{ agg: 'sum', field: 'amount' }] } },
  { name: 'revenue by week', query: { dimensions: [{ field: 'ordered_at', granularity: 'week' }], measures: [{ agg: 'sum', field: 'amount' }] } },
  { name: 'revenue by year', query: { dimensions: [{ field: 'ordered_at', granularity: 'year' }], measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count' }] } },
  { name: 'countries per category', query: { dimensions: ['category'], measures: [{ agg: 'count_distinct', field: 'country' }] } },
  { name: 'min/max by country', query: { dimensions: ['country'], measures: [{ agg: 'min', field: 'amount' }, { agg: 'max', field: 'amount' }] } },
  { name: 'revenue in 3 countries by category', query: { dimensions: ['category'], measures: [{ agg: 'sum', field: 'amount' }], filters: [{ field: 'country', op: 'in', values: ['country-01', 'country-02', 'country-03'] }] } },
  { name: 'large orders by month', query: { dimensions: [{ field: 'ordered_at', granularity: 'month' }], measures: [{ agg: 'count' }], filters: [{ field: 'amount', op: 'gt', value: 500 }] } },
  { name: 'average units by country × category', query: { dimensions: ['country', 'category'], measures: [{ agg: 'avg', field: 'qty' }] } },
  { name: 'top 10 country × category', query: { dimensions: ['country', 'category'], measures: [{ agg: 'sum', field: 'amount' }], orderBy: [{ field: 'sum_amount', dir: 'desc' }], limit: 10 } },
  { name: 'category-3 by country', query: { dimensions: ['country'], measures: [{ agg: 'count' }], filters: [{ field: 'category', op: 'eq', value: 'category-3' }] } },
  { name: 'categories over 1,000 units', query: { dimensions: ['category'], measures: [{ agg: 'sum', field: 'qty' }], having: [{ field: 'sum_qty', op: 'gt', value: 1000 }] } },
];

const LIVE = `subscription($id: ID!, $q: JSON!) { liveQuery(datasourceId: $id, query: $q) { status cached error { code message } result { rowCount } } }`;

type LiveEvent = { liveQuery: { status: string; cached: boolean; error: { code: string; message: string } | null; result: { rowCount: number } | null } };

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** One viewer: a WebSocket of its own, connected before anything is timed (the app keeps one open). */
async function connectViewer(url: string, token: string): Promise<Client> {
  let resolveConnected: () => void = () => {};
  let rejectConnected: (err: unknown) => void = () => {};
  const connected = new Promise<void>((resolve, reject) => {
    resolveConnected = resolve;
    rejectConnected = reject;
  });
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    // Open between rounds with no subscription: the connection stays.
    keepAlive: 10_000,
    on: { connected: () => resolveConnected(), error: (err) => rejectConnected(err) },
    // A closed socket fails the widgets it carried (their error handlers say why).
    onNonLazyError: () => {},
  });
  await connected;
  return client;
}

interface OpenOutcome {
  /** Nanoseconds from subscribe to first result, per widget (index) for every viewer. */
  perWidget: number[][];
  /** Nanoseconds until a viewer had all its widgets, per viewer. */
  perViewer: number[];
  failures: string[];
  cachedAnswers: number;
}

/** Every viewer opens the dashboard at once; resolves when every widget of every viewer has a result. */
function openDashboard(viewers: Client[], datasourceId: string): Promise<OpenOutcome> {
  const outcome: OpenOutcome = { perWidget: WIDGETS.map(() => []), perViewer: [], failures: [], cachedAnswers: 0 };
  const unsubscribes: (() => void)[] = [];
  // The last state each unanswered subscription saw, to tell a subscribe that never started
  // from a job whose end never arrived.
  const waiting = new Map<string, string>();
  let pending = viewers.length * WIDGETS.length;
  return new Promise<OpenOutcome>((resolve, reject) => {
    const timer = setTimeout(() => {
      for (const u of unsubscribes) u();
      const stuck = [...waiting.entries()].slice(0, 10).map(([k, v]) => `${k}: ${v}`).join('; ');
      reject(new Error(`dashboard not complete after ${OPEN_TIMEOUT_MS} ms: ${pending} widget(s) without a result (${stuck})`));
    }, OPEN_TIMEOUT_MS);
    const settle = () => {
      if (--pending > 0) return;
      clearTimeout(timer);
      for (const u of unsubscribes) u();
      resolve(outcome);
    };
    viewers.forEach((viewer, v) => {
      const openedAt = now();
      let left = WIDGETS.length;
      WIDGETS.forEach((widget, w) => {
        const t0 = now();
        const name = `viewer ${v} widget ${w + 1}`;
        waiting.set(name, 'no event');
        let answered = false;
        const answer = (failure?: string) => {
          if (answered) return;
          answered = true;
          waiting.delete(name);
          outcome.perWidget[w]!.push(since(t0));
          if (failure) outcome.failures.push(`${widget.name}: ${failure}`);
          if (--left === 0) outcome.perViewer.push(since(openedAt));
          settle();
        };
        const unsubscribe = viewer.subscribe<LiveEvent>(
          { query: LIVE, variables: { id: datasourceId, q: widget.query } },
          {
            next: (r) => {
              const event = r.data?.liveQuery;
              if (!event) return answer(JSON.stringify(r.errors));
              if (!answered) waiting.set(name, `${event.status}${event.cached ? ' (cached)' : ''}`);
              if (event.status === 'DONE') {
                if (event.cached) outcome.cachedAnswers++;
                answer();
              } else if (event.status === 'FAILED' || event.status === 'CANCELLED') {
                answer(`${event.status} ${event.error?.code}: ${event.error?.message}`);
              }
            },
            error: (err) => answer(describeError(err)),
            complete: () => answer('the subscription ended without a result'),
          },
        );
        unsubscribes.push(unsubscribe);
      });
    });
  });
}

/** What a subscription failed with: an Error, GraphQL errors, or the socket's close event. */
function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  const close = err as { code?: unknown; reason?: unknown };
  if (typeof close?.code === 'number') return `socket closed: ${close.code} ${String(close.reason ?? '')}`;
  return JSON.stringify(err);
}

const ms = (samples: number[], label: string): Measurement => ({ label, unit: 'ms', stats: summarizeDurations(samples, 'ms') });

const suite: BenchSuite = {
  name: 'dashboard-load',
  description: `a ${WIDGETS.length}-widget dashboard opened by ${VIEWERS} viewers at once (liveQuery over graphql-ws, 2 APIs + 2 workers as processes), cold and warm, against one viewer alone`,
  async run() {
    let cluster: Cluster | undefined;
    let warehouse: TempDatabase | undefined;
    const viewers: Client[] = [];
    const cleanup = async () => {
      await Promise.allSettled(viewers.map((v) => v.dispose()));
      await cluster?.close().catch(() => undefined);
      await warehouse?.drop().catch(() => undefined);
    };
    const forget = onInterrupt(cleanup);
    try {
      progress('dashboard-load · warehouse: orders, 100,000 rows');
      warehouse = await createPgDatabase('sl_bench_dash');
      const dwh = new pg.Client({ connectionString: warehouse.url });
      await dwh.connect();
      try {
        await dwh.query(`ALTER DATABASE "${warehouse.name}" SET track_functions = 'pl'`);
        await dwh.query(`CREATE TABLE orders (id int PRIMARY KEY, country text NOT NULL, category text NOT NULL, amount numeric(12,2) NOT NULL, qty int NOT NULL, ordered_at timestamptz NOT NULL);
          INSERT INTO orders SELECT i, 'country-' || lpad(((i * 7) % 20)::text, 2, '0'), 'category-' || ((i * 13) % 8), ((i * 7919) % 100000) / 100.0, 1 + (i % 9),
            timestamptz '2022-01-01 00:00:00+00' + ((i * 15485863::bigint) % (3 * 365 * 86400)) * interval '1 second'
          FROM generate_series(1, ${ROWS}) i;
          ANALYZE orders;`);
        await dwh.query(`CREATE FUNCTION ${COUNTER}() RETURNS int LANGUAGE plpgsql VOLATILE AS $$ BEGIN RETURN 1; END $$`);
      } finally {
        await dwh.end();
      }

      progress('dashboard-load · 2 API and 2 worker processes');
      cluster = await Cluster.create({ env: { LOG_LEVEL: 'warn' } });
      const [api1, api2] = await Promise.all([cluster.start('api1', 'api'), cluster.start('api2', 'api'), cluster.start('worker1', 'worker'), cluster.start('worker2', 'worker')]);
      const email = `dash-${Date.now()}@example.com`;
      const token = (await gql(api1.url, `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, { i: { email, password: 'a long password', organizationName: 'Dashboards' } })).signUp.token as string;
      // The CTE is materialized, so the counter runs once per execution of a widget's query
      // (never per row), and a describe (LIMIT 0) never runs it.
      const sql = `WITH counted AS MATERIALIZED (SELECT ${COUNTER}() AS n) SELECT o.* FROM orders o CROSS JOIN counted`;
      const connection = { host: PG_ADMIN.host, port: PG_ADMIN.port, database: warehouse.name, user: PG_ADMIN.user, sslMode: 'DISABLE' };
      const datasourceId = (await gql(api1.url, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name: 'Orders', kind: 'POSTGRES', connection, source: { sql } } }, token)).createDatasource.id as string;

      const meta = new pg.Client({ connectionString: cluster.metadata.url });
      await meta.connect();
      const counter = new pg.Client({ connectionString: warehouse.url, application_name: 'sightline-bench-counter' });
      await counter.connect();
      try {
        const jobsSoFar = async () => (await meta.query(`SELECT count(*)::int AS n FROM query_jobs`)).rows[0].n as number;
        const callsSoFar = async () => (await counter.query(`SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_user_functions WHERE funcname = $1`, [COUNTER])).rows[0].n as number;
        /** Every execution so far, exactly: a session reports its counts when it ends. */
        const exactExecutions = async (): Promise<number> => {
          await counter.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [warehouse!.name]);
          const deadline = Date.now() + 10_000;
          while ((await counter.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [warehouse!.name])).rowCount! > 0 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100));
          }
          await counter.query('SELECT pg_stat_clear_snapshot()');
          return callsSoFar();
        };

        progress(`dashboard-load · ${VIEWERS} viewers connecting`);
        for (let i = 0; i < VIEWERS; i++) viewers.push(await connectViewer(i % 2 ? api2.url : api1.url, token));
        const alone = [await connectViewer(api1.url, token)];
        viewers.push(alone[0]!);
        const crowd = viewers.slice(0, VIEWERS);

        type Side = 'crowd' | 'alone';
        const samples = {
          cold: { crowd: WIDGETS.map(() => [] as number[]), alone: WIDGETS.map(() => [] as number[]) },
          warm: { crowd: WIDGETS.map(() => [] as number[]), alone: WIDGETS.map(() => [] as number[]) },
        };
        const whole = { cold: { crowd: [] as number[], alone: [] as number[] }, warm: { crowd: [] as number[], alone: [] as number[] } };
        const jobs = { cold: { crowd: [] as number[], alone: [] as number[] }, warm: { crowd: [] as number[], alone: [] as number[] } };
        let warmCached = 0;
        let coldOpens = 0;
        let warmAnswers = 0;

        const phase = async (temperature: 'cold' | 'warm', side: Side) => {
          const who = side === 'crowd' ? crowd : alone;
          // Cold: the data changed, so every cached result is stale and every widget must run.
          if (temperature === 'cold') await gql(api1.url, `mutation($id: ID!) { notifyDataChanged(datasourceId: $id) { id } }`, { id: datasourceId }, token);
          const jobsBefore = await jobsSoFar();
          const outcome = await openDashboard(who, datasourceId).catch((err: Error) => {
            throw new Error(`${err.message}\n${cluster!.output(20)}`);
          });
          outcome.perWidget.forEach((s, w) => samples[temperature][side][w]!.push(...s));
          whole[temperature][side].push(...outcome.perViewer);
          if (outcome.failures.length > 0) {
            throw new Error(`${outcome.failures.length} widget(s) failed in a ${temperature} open (${side}), e.g. ${outcome.failures.slice(0, 3).join('; ')}\n${cluster!.output(20)}`);
          }
          if (temperature === 'warm') {
            warmCached += outcome.cachedAnswers;
            warmAnswers += who.length * WIDGETS.length;
          }
          jobs[temperature][side].push((await jobsSoFar()) - jobsBefore);
          if (temperature === 'cold') coldOpens++;
        };

        // Untimed: the pools, the describe of the source and the JIT of every process.
        progress('dashboard-load · warm-up');
        await phase('cold', 'alone');
        for (const t of ['cold', 'warm'] as const) {
          samples[t].alone.forEach((s) => (s.length = 0));
          whole[t].alone.length = 0;
          jobs[t].alone.length = 0;
        }

        for (let round = 0; round < ROUNDS; round++) {
          // The order flips every round, so neither side always runs after the other.
          const order: Side[] = round % 2 === 0 ? ['crowd', 'alone'] : ['alone', 'crowd'];
          for (const side of order) {
            progress(`dashboard-load · round ${round + 1}/${ROUNDS}: ${side === 'crowd' ? `${VIEWERS} viewers` : 'one viewer'}, cold then warm`);
            await phase('cold', side);
            await phase('warm', side);
          }
        }
        const totalExecutions = await exactExecutions();

        const results: BenchResult[] = [];
        const distinct = WIDGETS.length;
        const list = (xs: number[]) => xs.join(', ');
        const jobNotes = (t: 'cold' | 'warm') => [`jobs recorded per open (query_jobs): ${VIEWERS} viewers ${list(jobs[t].crowd)}; one viewer ${list(jobs[t].alone)}; distinct queries ${distinct}`];
        const expectedExecutions = coldOpens * distinct;
        const totalNote = `warehouse executions in the whole run, exact (sessions ended): ${totalExecutions} for ${coldOpens} cold opens × ${distinct} distinct queries = ${expectedExecutions}; warm opens add none`;
        const coldOk = totalExecutions === expectedExecutions && [...jobs.cold.crowd, ...jobs.cold.alone].every((n) => n === distinct);
        const warmOk = totalExecutions === expectedExecutions && [...jobs.warm.crowd, ...jobs.warm.alone].every((n) => n === 0);

        const coldWhole = compare(
          `cold · whole dashboard, per viewer`,
          ms(whole.cold.crowd, `${VIEWERS} viewers at once: subscribe → all ${distinct} results`),
          ms(whole.cold.alone, `one viewer alone: subscribe → all ${distinct} results`),
          { notes: [totalNote, ...jobNotes('cold'), `${ROUNDS} rounds per side after one untimed cold open; each cold open follows notifyDataChanged`] },
        );
        coldWhole.target = { ratio: Number.NaN, met: coldOk, text: `executions = ${distinct} distinct` };
        results.push(coldWhole);
        const warmWhole = compare(
          `warm · whole dashboard, per viewer`,
          ms(whole.warm.crowd, `${VIEWERS} viewers at once: subscribe → all ${distinct} results`),
          ms(whole.warm.alone, `one viewer alone: subscribe → all ${distinct} results`),
          { notes: [totalNote, ...jobNotes('warm'), `answers marked cached: ${warmCached} of ${warmAnswers}`] },
        );
        warmWhole.target = { ratio: Number.NaN, met: warmOk, text: 'no execution' };
        results.push(warmWhole);
        for (const t of ['cold', 'warm'] as const) {
          results.push(
            compare(`${t} · all widgets`, ms(samples[t].crowd.flat(), `${VIEWERS} viewers: subscribe → first result, per widget`), ms(samples[t].alone.flat(), 'one viewer: subscribe → first result, per widget')),
          );
          WIDGETS.forEach((widget, w) => {
            results.push(compare(`${t} · ${String(w + 1).padStart(2, '0')} ${widget.name}`, ms(samples[t].crowd[w]!, `${VIEWERS} viewers`), ms(samples[t].alone[w]!, 'one viewer')));
          });
        }
        return results;
      } finally {
        await counter.end().catch(() => undefined);
        await meta.end().catch(() => undefined);
      }
    } finally {
      await cleanup();
      forget();
    }
  },
};

export default suite;
