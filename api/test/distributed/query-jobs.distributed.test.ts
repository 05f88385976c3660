/**
 * Query jobs across processes: two API processes and two worker processes (real OS processes
 * of bin/api.ts and bin/worker.ts) on one PostgreSQL metadata database and one Redis. The
 * same behaviours as ../query-jobs.test.ts, where they run in one process, here with every
 * hop going through Redis and the database: results reach subscribers of another process,
 * single flight holds across APIs, cancels travel to whichever worker runs the query, tenants
 * share workers fairly, and a process killed with SIGKILL strands no subscriber.
 */
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, hasService, PG_ADMIN, REDIS_URL, type TempDatabase } from '../../../testkit/services';
import { decodeGlobalId } from '../../graphql/ids';
import { collect, wsClient } from '../harness';
import { Cluster, pidOwningLocalPort, sleep, waitFor, type SightlineProcess } from './cluster';

const RUN = `mutation($id: ID!, $q: JSON!, $r: Boolean) { runQuery(datasourceId: $id, query: $q, refresh: $r) { id status cached error { code message } result { rows } } }`;
const WATCH = `subscription($id: ID!) { queryJob(id: $id) { jobId status cached error { code message } result { rows } } }`;
const CANCEL = `mutation($id: ID!) { cancelQueryJob(id: $id) { status } }`;
const TERMINAL = ['DONE', 'FAILED', 'CANCELLED'];

// Both are evaluated: under CI=true either one missing fails the run.
const servicesUp = [await hasService('postgres'), await hasService('redis')].every(Boolean);

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`${query.slice(0, 50)}… on ${url}: ${res.status} ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Runs `fn` over `items`, at most `width` at a time. */
async function inBatches<T, R>(items: T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

const isTerminalEvent = (e: any) => TERMINAL.includes(e.data?.queryJob?.status);
const statusOf = (e: any): string => e.data?.queryJob?.status;

describe.skipIf(!servicesUp)('query jobs across two API and two worker processes', () => {
  let cluster: Cluster;
  let api1: SightlineProcess;
  let api2: SightlineProcess;
  let worker1: SightlineProcess;
  let worker2: SightlineProcess;
  let warehouse: TempDatabase;
  let admin: pg.Client;
  let redis: Redis;
  let tokenA: string;
  let tokenB: string;
  const ds: Record<string, string> = {};

  const fail = (what: string) => `${what}\n${cluster.output()}`;

  /** Active backends of the warehouse running a statement that contains `marker`. */
  async function backends(marker: string): Promise<{ pid: number; port: number }[]> {
    const r = await admin.query(
      `SELECT pid, client_port FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE $2 AND pid <> pg_backend_pid()`,
      [warehouse.name, `%${marker}%`],
    );
    return r.rows.map((row) => ({ pid: row.pid as number, port: row.client_port as number }));
  }

  /** The process (API or worker) whose connection runs the statement containing `marker`. */
  async function workerRunning(marker: string, timeoutMs = 10_000): Promise<SightlineProcess> {
    return waitFor(`a process running ${marker}`, async () => {
      const candidates = cluster.processes.filter((p) => p.running);
      for (const b of await backends(marker)) {
        const pid = await pidOwningLocalPort(b.port, candidates.map((p) => p.pid));
        const owner = candidates.find((p) => p.pid === pid);
        if (owner) return owner;
      }
      return undefined;
    }, timeoutMs, 20);
  }

  async function createSqlDatasource(url: string, token: string, name: string, sql: string): Promise<string> {
    const connection = { host: PG_ADMIN.host, port: PG_ADMIN.port, database: warehouse.name, user: PG_ADMIN.user, sslMode: 'DISABLE' };
    const r = await gql(url, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name, kind: 'POSTGRES', connection, source: { sql } } }, token);
    return r.createDatasource.id;
  }

  const run = async (url: string, token: string, datasourceId: string, q: unknown, refresh = true) =>
    (await gql(url, RUN, { id: datasourceId, q, r: refresh }, token)).runQuery;

  /** Subscribes and reads until the job ends (bounded: no subscriber may wait forever). */
  async function untilEnd(url: string, token: string, jobId: string, timeoutMs = 20_000): Promise<any[]> {
    const ws = wsClient(url, token);
    try {
      return await collect(ws.subscribe(WATCH, { id: jobId }), isTerminalEvent, timeoutMs);
    } finally {
      await ws.dispose();
    }
  }

  const uuidOf = (globalId: string) => decodeGlobalId(globalId).id;

  beforeAll(async () => {
    cluster = await Cluster.create({
      env: { QUERY_CONCURRENCY: '2', ORG_RUNNING_LIMIT: '4', CANCEL_GRACE_MS: '0', QUEUE_LOCK_MS: '2000', QUEUE_STALLED_INTERVAL_MS: '500' },
    });
    warehouse = await createPgDatabase('sl_dwh');
    admin = new pg.Client(PG_ADMIN);
    await admin.connect();
    redis = new Redis(REDIS_URL);
    const dwh = new pg.Client({ connectionString: warehouse.url });
    await dwh.connect();
    try {
      // Counted by the database itself: pg_stat_user_functions.calls, for sessions opened later.
      await dwh.query(`ALTER DATABASE "${warehouse.name}" SET track_functions = 'pl'`);
      await dwh.query(`CREATE FUNCTION sl_probe() RETURNS int LANGUAGE plpgsql VOLATILE AS $$ BEGIN PERFORM pg_sleep(1.5); RETURN 42; END $$`);
    } finally {
      await dwh.end();
    }
    // Worker 1 starts after the first test, which must be run by worker 2.
    [api1, api2, worker2] = await Promise.all([cluster.start('api1', 'api'), cluster.start('api2', 'api'), cluster.start('worker2', 'worker')]);
    const signUp = async (url: string, org: string) =>
      (await gql(url, `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, { i: { email: `${org}-${Date.now()}@example.com`, password: 'a long password', organizationName: org } })).signUp.token as string;
    tokenA = await signUp(api1.url, 'a');
    tokenB = await signUp(api2.url, 'b');
    ds['one'] = await createSqlDatasource(api1.url, tokenA, 'One', `SELECT pg_sleep(1) AS slept, 'sl-dist-one' AS marker, 42 AS answer`);
    ds['probe'] = await createSqlDatasource(api2.url, tokenA, 'Probe', `SELECT sl_probe() AS v`);
    ds['slow'] = await createSqlDatasource(api1.url, tokenA, 'Slow', `SELECT pg_sleep(30) AS slept, 'sl-dist-slow' AS marker`);
    ds['flood'] = await createSqlDatasource(api1.url, tokenA, 'Flood', `SELECT pg_sleep(2) AS slept, 'sl-dist-flood' AS marker, 1 AS n`);
    ds['b'] = await createSqlDatasource(api2.url, tokenB, 'B', `SELECT pg_sleep(0.2) AS slept, 'sl-dist-b' AS marker`);
    ds['killWorker'] = await createSqlDatasource(api1.url, tokenA, 'KillWorker', `SELECT pg_sleep(2) AS slept, 'sl-dist-kill-worker' AS marker`);
    ds['killApi'] = await createSqlDatasource(api1.url, tokenA, 'KillApi', `SELECT pg_sleep(2) AS slept, 'sl-dist-kill-api' AS marker`);
    ds['quick'] = await createSqlDatasource(api1.url, tokenA, 'Quick', `SELECT 7 AS seven`);
  }, 90_000);

  afterAll(async () => {
    await cluster?.close();
    redis?.disconnect();
    await admin?.end();
    await warehouse?.drop();
  }, 60_000);

  it('a subscriber on API 1 gets the result of a job that worker 2 ran', async () => {
    const job = await run(api1.url, tokenA, ds['one']!, { dimensions: ['marker', 'answer'] });
    const ws = wsClient(api1.url, tokenA);
    try {
      const events = collect(ws.subscribe(WATCH, { id: job.id }), isTerminalEvent);
      // The database says which connection runs the statement; /proc says whose it is.
      const runner = await workerRunning('sl-dist-one');
      expect(runner.name).toBe('worker2');
      const all = await events;
      expect(statusOf(all.at(-1)), fail(JSON.stringify(all))).toBe('DONE');
      expect((all.at(-1) as any).data.queryJob.result.rows).toEqual([['sl-dist-one', 42]]);
    } finally {
      await ws.dispose();
      worker1 = await cluster.start('worker1', 'worker');
    }
  });

  it('50 identical runQuery calls over both APIs run the query once, as counted by the database', async () => {
    const callsOfProbe = async () => {
      // A backend reports its function counts when it ends: end the warehouse sessions first.
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [warehouse.name]);
      await waitFor('warehouse sessions gone', async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1`, [warehouse.name])).rowCount === 0);
      const dwh = new pg.Client({ connectionString: warehouse.url });
      await dwh.connect();
      try {
        const r = await dwh.query(`SELECT coalesce(sum(calls), 0)::int AS calls FROM pg_stat_user_functions WHERE funcname = 'sl_probe'`);
        return r.rows[0].calls as number;
      } finally {
        await dwh.end();
      }
    };
    const before = await callsOfProbe();
    const q = { dimensions: ['v'] };
    // Not `refresh`: a caller arriving after the end rightly gets the cached result (same job),
    // where a refresh would rightly start a new run.
    const jobs = await Promise.all(Array.from({ length: 50 }, (_, i) => run(i % 2 ? api2.url : api1.url, tokenA, ds['probe']!, q, false)));
    const ids = new Set(jobs.map((j) => j.id));
    // Extra jobs would hold the slots of the tests that follow.
    if (ids.size > 1) await inBatches([...ids], 8, (id) => gql(api1.url, CANCEL, { id }, tokenA));
    expect(ids.size, `${ids.size} jobs for one query`).toBe(1);
    const end = await untilEnd(api2.url, tokenA, [...ids][0]!);
    expect((end.at(-1) as any).data.queryJob).toMatchObject({ status: 'DONE', result: { rows: [[42]] } });
    // Later callers get the cached result, on either API, without running it again.
    expect(await run(api1.url, tokenA, ds['probe']!, q, false)).toMatchObject({ status: 'DONE', cached: true, result: { rows: [[42]] } });
    expect(await callsOfProbe(), fail('sl_probe() calls')).toBe(before + 1);
  });

  it("the last subscriber leaving frees the database backend, after another API's subscriber left", async () => {
    const job = await run(api1.url, tokenA, ds['slow']!, { dimensions: ['marker'] });
    const a = wsClient(api1.url, tokenA);
    const b = wsClient(api2.url, tokenA);
    const itA = a.subscribe(WATCH, { id: job.id });
    const itB = b.subscribe(WATCH, { id: job.id });
    await itA.next();
    await itB.next();
    await workerRunning('sl-dist-slow');
    await itB.return?.();
    await b.dispose();
    await sleep(700);
    expect(await backends('sl-dist-slow'), 'one subscriber is still there').toHaveLength(1);
    const left = Date.now();
    await itA.return?.();
    await a.dispose();
    await waitFor('the backend to go', async () => (await backends('sl-dist-slow')).length === 0, 2000, 20);
    console.info(`[distributed] last unsubscribe → backend gone: ${Date.now() - left} ms`);
    const after = await gql(api2.url, `query($id: ID!) { queryJob(id: $id) { status } }`, { id: job.id }, tokenA);
    expect(after.queryJob.status).toBe('CANCELLED');
  });

  it("organization A's 200 slow queries do not keep organization B's query from the next free slot", async () => {
    const flood = Array.from({ length: 200 }, (_, i) => ({ dimensions: ['marker'], filters: [{ field: 'n', op: 'lt', value: 1000 + i }] }));
    const aJobs = await inBatches(flood, 16, (q, i) => run(i % 2 ? api2.url : api1.url, tokenA, ds['flood']!, q));
    expect(new Set(aJobs.map((j) => j.id)).size).toBe(200);
    const slots = 4; // two workers × QUERY_CONCURRENCY 2, ORG_RUNNING_LIMIT 4: A may fill them all
    const floodIds = aJobs.map((j) => uuidOf(j.id));
    try {
      const meta = new pg.Client({ connectionString: cluster.metadata.url });
      await meta.connect();
      try {
        const runningOfA = async () => (await meta.query(`SELECT count(*)::int AS n FROM query_jobs WHERE id = ANY($1) AND status = 'RUNNING'`, [floodIds])).rows[0].n as number;
        await waitFor('A to fill every slot', async () => (await runningOfA()) === slots, 15_000);
        const bJob = await run(api2.url, tokenB, ds['b']!, { dimensions: ['marker'] });
        const end = await untilEnd(api2.url, tokenB, bJob.id, 30_000);
        expect(statusOf(end.at(-1)), fail(JSON.stringify(end))).toBe('DONE');
        const b = (await meta.query(`SELECT created_at AS queued_at, started_at FROM query_jobs WHERE id = $1`, [uuidOf(bJob.id)])).rows[0];
        const counts = (
          await meta.query(
            `SELECT count(*) FILTER (WHERE started_at > $2 AND started_at < $3)::int AS ahead,
                    count(*) FILTER (WHERE started_at IS NULL OR started_at > $3)::int AS behind
               FROM query_jobs WHERE id = ANY($1)`,
            [floodIds, b.queued_at, b.started_at],
          )
        ).rows[0];
        console.info(`[distributed] B waited ${b.started_at - b.queued_at} ms; A jobs started in between: ${counts.ahead}; A jobs still behind B: ${counts.behind}`);
        // The queue promises the next free slot; one more allows for two slots freeing at once.
        expect(counts.ahead).toBeLessThanOrEqual(1);
        expect(counts.behind).toBeGreaterThan(150);
        // Same queue as the flood: B was not simply routed around it.
        const queueOf = async (id: string) => JSON.parse((await redis.get(`${cluster.redisPrefix}:kv:job:${uuidOf(id)}`)) ?? '{}').queue;
        expect(await queueOf(bJob.id)).toBe(await queueOf(aJobs[199].id));
      } finally {
        await meta.end();
      }
    } finally {
      await inBatches(aJobs, 16, (j, i) => gql(i % 2 ? api2.url : api1.url, CANCEL, { id: j.id }, tokenA));
    }
  }, 90_000);

  it('kill -9 of the worker running a job: every subscriber gets its end (retried elsewhere, or WORKER_FAILED)', async () => {
    const job = await run(api1.url, tokenA, ds['killWorker']!, { dimensions: ['marker'] });
    const s1 = wsClient(api1.url, tokenA);
    const s2 = wsClient(api2.url, tokenA);
    try {
      const ends = [s1, s2].map((c) => collect(c.subscribe(WATCH, { id: job.id }), isTerminalEvent, 25_000));
      const victim = await workerRunning('sl-dist-kill-worker');
      const survivor = victim === worker1 ? worker2 : worker1;
      await victim.kill9();
      const killedAt = Date.now();
      // Which process runs it after the kill, if anyone does.
      const rerun = workerRunning('sl-dist-kill-worker', 20_000).catch(() => null);
      const [e1, e2] = await Promise.all(ends);
      const took = Date.now() - killedAt;
      const last1 = (e1!.at(-1) as any).data.queryJob;
      const last2 = (e2!.at(-1) as any).data.queryJob;
      console.info(`[distributed] worker kill -9 → ${last1.status}${last1.error ? ` ${last1.error.code}` : ''} after ${took} ms`);
      expect(last2.status).toBe(last1.status);
      if (last1.status === 'DONE') {
        expect(last1.result.rows).toEqual([['sl-dist-kill-worker']]);
        expect((await rerun)?.name).toBe(survivor.name);
      } else {
        expect(last1, fail('the end after a kill')).toMatchObject({ status: 'FAILED', error: { code: 'WORKER_FAILED' } });
      }
    } finally {
      await s1.dispose();
      await s2.dispose();
    }
    // Back to two workers for what follows.
    if (!worker1.running) worker1 = await cluster.start('worker1', 'worker');
    if (!worker2.running) worker2 = await cluster.start('worker2', 'worker');
  }, 60_000);

  it('kill -9 of the API a client watches: the client gets the result from the other API, and from a restarted one', async () => {
    const job = await run(api1.url, tokenA, ds['killApi']!, { dimensions: ['marker'] });
    const ws = wsClient(api1.url, tokenA);
    const it1 = ws.subscribe(WATCH, { id: job.id });
    const first = await it1.next();
    expect(['QUEUED', 'RUNNING']).toContain(statusOf(first.value));
    const port = new URL(api1.url).port;
    await api1.kill9();
    const killedAt = Date.now();
    // The connection is gone: the stream ends or fails, it does not hang.
    await expect(Promise.race([it1.next().then(() => 'ended', () => 'failed'), sleep(5000).then(() => 'hung')])).resolves.not.toBe('hung');
    await ws.dispose();

    const again = await untilEnd(api2.url, tokenA, job.id);
    console.info(`[distributed] API kill -9 → DONE on the other API after ${Date.now() - killedAt} ms`);
    // The first event is the state from storage, whatever was missed meanwhile.
    expect(TERMINAL.includes(statusOf(again[0])) || ['QUEUED', 'RUNNING'].includes(statusOf(again[0]))).toBe(true);
    expect((again.at(-1) as any).data.queryJob).toMatchObject({ status: 'DONE', result: { rows: [['sl-dist-kill-api']] } });

    api1 = await cluster.start('api1', 'api', { PORT: port });
    expect(new URL(api1.url).port).toBe(port);
    const fromRestarted = await untilEnd(api1.url, tokenA, job.id);
    expect(fromRestarted).toHaveLength(1);
    expect((fromRestarted[0] as any).data.queryJob).toMatchObject({ status: 'DONE', result: { rows: [['sl-dist-kill-api']] } });
  }, 60_000);

  it("the metadata database's connections dropped: the next requests still succeed", async () => {
    const terminated = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [cluster.metadata.name],
    );
    expect(terminated.rowCount).toBeGreaterThan(0);
    await waitFor('metadata sessions gone', async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1`, [cluster.metadata.name])).rowCount === 0);
    for (const api of [api1, api2]) {
      const r = await gql(api.url, `{ datasources(first: 50) { edges { node { id } } } }`, {}, tokenA);
      expect(r.datasources.edges.length).toBeGreaterThan(0);
    }
    const job = await run(api2.url, tokenA, ds['quick']!, { dimensions: ['seven'] });
    const end = await untilEnd(api1.url, tokenA, job.id);
    expect((end.at(-1) as any).data.queryJob, fail('a query after the drop')).toMatchObject({ status: 'DONE', result: { rows: [[7]] } });
  });
});
