/**
 * Query jobs end to end in one process (embedded queue, pub/sub and cache), on a real
 * PostgreSQL datasource and the sample SQLite one: results, cache, single flight, failures,
 * subscriptions, cancellation down to the database, live queries.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, PG_ADMIN, type TempDatabase } from '../../testkit/services';
import { backends, collect, startTestServer, wsClient, type TestServer } from './harness';
import { must } from './fixtures';

const RUN = `mutation($id: ID!, $q: JSON!, $r: Boolean) { runQuery(datasourceId: $id, query: $q, refresh: $r) { id status cached error { code message path } result { columns { name type } rows rowCount truncated } } }`;
const WATCH = `subscription($id: ID!) { queryJob(id: $id) { jobId status progress cached error { code } result { rows rowCount } } }`;

async function backendRunning(app: string, pattern: string): Promise<boolean> {
  const c = new pg.Client(PG_ADMIN);
  await c.connect();
  try {
    const r = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND query LIKE $2 AND state = 'active'`, [app, `%${pattern}%`]);
    return r.rows[0].n > 0;
  } finally {
    await c.end();
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe.each(await backends())('query jobs (%s)', (backend) => {
  let s: TestServer;
  let token: string;
  let warehouse: TempDatabase;
  let salesId: string;
  let slowId: string;
  let direct: pg.Client;

  beforeAll(async () => {
    s = await startTestServer(backend);
    token = (await s.signUp('Jobs')).token;
    warehouse = await createPgDatabase('sl_jobs');
    direct = new pg.Client({ connectionString: warehouse.url });
    await direct.connect();
    await direct.query(`CREATE TABLE sales (id serial PRIMARY KEY, region text NOT NULL, amount numeric(10,2) NOT NULL);
      INSERT INTO sales (region, amount) SELECT (ARRAY['north','south','east'])[1 + i % 3], (i % 50) + 0.5 FROM generate_series(1, 300) i;`);
    const connection = { host: '127.0.0.1', port: 5432, database: warehouse.name, user: 'postgres', sslMode: 'DISABLE' };
    salesId = (await must(s, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name: 'Sales', kind: 'POSTGRES', connection, source: { table: 'sales', schema: 'public' } } }, token))['createDatasource'].id;
    slowId = (await must(s, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name: 'Slow', kind: 'POSTGRES', connection, source: { sql: "SELECT pg_sleep(30) AS slept, 'sightline-slow-marker' AS marker" } } }, token))['createDatasource'].id;
  }, 60_000);
  afterAll(async () => {
    await direct.end();
    await s.close();
    await warehouse.drop();
  });

  const byRegion = { dimensions: ['region'], measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count' }] };

  async function finished(jobId: string) {
    const ws = wsClient(s.url, token);
    try {
      const events = await collect(ws.subscribe(WATCH, { id: jobId }), (e: any) => ['DONE', 'FAILED', 'CANCELLED'].includes(e.data?.queryJob.status));
      return events.at(-1) as any;
    } finally {
      await ws.dispose();
    }
  }

  it('runs a query and streams its states to the end, with the rows the database gives', async () => {
    const job = (await must(s, RUN, { id: salesId, q: byRegion, r: true }, token))['runQuery'];
    expect(['QUEUED', 'RUNNING', 'DONE']).toContain(job.status);
    const ws = wsClient(s.url, token);
    const events = await collect(ws.subscribe(WATCH, { id: job.id }), () => false);
    await ws.dispose();
    const statuses = events.map((e: any) => e.data.queryJob.status);
    expect(statuses.at(-1)).toBe('DONE');
    expect(statuses.indexOf('DONE')).toBe(statuses.length - 1); // the stream ends after the end
    const truth = await direct.query(`SELECT region, sum(amount)::float8 AS s, count(*)::int AS n FROM sales GROUP BY region ORDER BY region`);
    expect((events.at(-1) as any).data.queryJob.result.rows).toEqual(truth.rows.map((r) => [r.region, r.s, r.n]));
  });

  it('answers an identical query from the cache without a new job', async () => {
    const first = (await must(s, RUN, { id: salesId, q: { measures: [{ agg: 'max', field: 'amount' }] } }, token))['runQuery'];
    const done = await finished(first.id);
    expect(done.data.queryJob.status).toBe('DONE');
    const second = (await must(s, RUN, { id: salesId, q: { measures: [{ agg: 'max', field: 'amount' }] } }, token))['runQuery'];
    expect(second).toMatchObject({ id: first.id, status: 'DONE', cached: true, result: { rows: [[49.5]] } });
    const refreshed = (await must(s, RUN, { id: salesId, q: { measures: [{ agg: 'max', field: 'amount' }] }, r: true }, token))['runQuery'];
    expect(refreshed.id).not.toBe(first.id);
    expect(refreshed.cached).toBe(false);
  });

  it('drops cached results when the data changes', async () => {
    const q = { measures: [{ agg: 'count' }] };
    const a = (await must(s, RUN, { id: salesId, q }, token))['runQuery'];
    await finished(a.id);
    await direct.query(`INSERT INTO sales (region, amount) VALUES ('west', 1)`);
    expect((await must(s, RUN, { id: salesId, q }, token))['runQuery'].cached).toBe(true);
    await must(s, `mutation($id: ID!) { notifyDataChanged(datasourceId: $id) { dataVersion } }`, { id: salesId }, token);
    const b = (await must(s, RUN, { id: salesId, q }, token))['runQuery'];
    expect(b.cached).toBe(false);
    expect((await finished(b.id)).data.queryJob.result.rows).toEqual([[301]]);
    await direct.query(`DELETE FROM sales WHERE region = 'west'`);
  });

  it('a bad query is a FAILED job with a typed error, found before anything is queued', async () => {
    const unknown = (await must(s, RUN, { id: salesId, q: { dimensions: ['regoin'] }, r: true }, token))['runQuery'];
    expect(unknown.status === 'FAILED' ? unknown : (await finished(unknown.id)).data.queryJob).toMatchObject({ status: 'FAILED', error: { code: 'UNKNOWN_FIELD' } });
    const shape = (await must(s, RUN, { id: salesId, q: { dimensions: ['region'], colour: 'red' } }, token))['runQuery'];
    expect(shape).toMatchObject({ status: 'FAILED', error: { code: 'INVALID_QUERY' } });
    expect(shape.error.message).toMatch(/colour/);
  });

  it('identical queries in flight share one job', async () => {
    const q = { dimensions: ['marker'], filters: [{ field: 'marker', op: 'starts_with', value: 'sightline' }] };
    const jobs = await Promise.all(Array.from({ length: 20 }, () => must(s, RUN, { id: slowId, q, r: true }, token)));
    const ids = new Set(jobs.map((j) => j['runQuery'].id));
    // refresh bypasses the cache, not the job in flight: all twenty callers joined one job.
    expect(ids.size, JSON.stringify(jobs.map((j) => [j['runQuery'].status, j['runQuery'].error]))).toBe(1);
    await must(s, `mutation($id: ID!) { cancelQueryJob(id: $id) { status } }`, { id: [...ids][0] }, token);
  });

  it('cancelQueryJob stops a running query in the database', async () => {
    const job = (await must(s, RUN, { id: slowId, q: { dimensions: ['marker'] }, r: true }, token))['runQuery'];
    expect(await eventually(() => backendRunning('sightline', 'sightline-slow-marker'), 10_000)).toBe(true);
    const cancelled = (await must(s, `mutation($id: ID!) { cancelQueryJob(id: $id) { status error { code } } }`, { id: job.id }, token))['cancelQueryJob'];
    expect(cancelled.status).toBe('CANCELLED');
    expect(await eventually(async () => !(await backendRunning('sightline', 'sightline-slow-marker')), 1000)).toBe(true);
  });

  it('the last subscriber leaving cancels the job; one of two leaving does not', async () => {
    const job = (await must(s, RUN, { id: slowId, q: { dimensions: ['marker'], filters: [{ field: 'marker', op: 'contains', value: 'slow' }] }, r: true }, token))['runQuery'];
    const a = wsClient(s.url, token);
    const b = wsClient(s.url, token);
    const itA = a.subscribe(WATCH, { id: job.id });
    const itB = b.subscribe(WATCH, { id: job.id });
    await itA.next();
    await itB.next();
    expect(await eventually(() => backendRunning('sightline', 'sightline-slow-marker'), 10_000)).toBe(true);
    await itA.return?.();
    await a.dispose();
    await new Promise((r) => setTimeout(r, 500));
    expect(await backendRunning('sightline', 'sightline-slow-marker')).toBe(true);
    await itB.return?.();
    await b.dispose();
    expect(await eventually(async () => !(await backendRunning('sightline', 'sightline-slow-marker')), 2000)).toBe(true);
    // The database query stops first; the job records CANCELLED right after.
    const status = async () => (await must(s, `query($id: ID!) { queryJob(id: $id) { status } }`, { id: job.id }, token))['queryJob'].status;
    expect(await eventually(async () => (await status()) === 'CANCELLED', 3000)).toBe(true);
  });

  it('a live query pushes a new result when the data changes', async () => {
    const ws = wsClient(s.url, token);
    const it = ws.subscribe(`subscription($id: ID!, $q: JSON!) { liveQuery(datasourceId: $id, query: $q) { status result { rows } } }`, { id: salesId, q: { measures: [{ agg: 'count' }], filters: [{ field: 'region', op: 'eq', value: 'north' }] } });
    const first = await collect(it, (e: any) => e.data?.liveQuery.status === 'DONE');
    expect((first.at(-1) as any).data.liveQuery.result.rows).toEqual([[100]]);
    await direct.query(`INSERT INTO sales (region, amount) VALUES ('north', 7), ('north', 8)`);
    await must(s, `mutation($id: ID!) { notifyDataChanged(datasourceId: $id) { id } }`, { id: salesId }, token);
    const second = await collect(it, (e: any) => e.data?.liveQuery.status === 'DONE');
    expect((second.at(-1) as any).data.liveQuery.result.rows).toEqual([[102]]);
    await it.return?.();
    await ws.dispose();
    await direct.query(`DELETE FROM sales WHERE id > 300`);
  });

  it('subscriptions also work over server-sent events, for clients without WebSocket', async () => {
    const job = (await must(s, RUN, { id: salesId, q: { measures: [{ agg: 'min', field: 'amount' }] }, r: true }, token))['runQuery'];
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: WATCH, variables: { id: job.id } }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toContain('"status":"DONE"');
    expect(text).toContain('[[0.5]]');
  });
});
