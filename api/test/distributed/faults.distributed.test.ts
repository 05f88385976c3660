/**
 * Faults under live subscribers: two API and two worker processes (bin/api.ts, bin/worker.ts)
 * on a fresh PostgreSQL metadata database and a Redis of this file's own, so that Redis can be
 * restarted without disturbing anyone else. For each fault, every subscriber must end with the
 * right result or a clear error within a bounded time, and no job or history row may be lost or
 * duplicated. (kill -9 of a worker or of an API and dropped metadata connections are covered by
 * query-jobs.distributed.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, hasService, PG_ADMIN, type TempDatabase } from '../../../testkit/services';
import { decodeGlobalId } from '../../graphql/ids';
import { collect, wsClient, type GqlResult } from '../harness';
import { BlackHole, Cluster, PrivateRedis, sleep, waitFor, type SightlineProcess } from './cluster';

const RUN = `mutation($id: ID!, $q: JSON!, $r: Boolean) { runQuery(datasourceId: $id, query: $q, refresh: $r) { id status cached error { code message } result { rows } } }`;
const WATCH = `subscription($id: ID!) { queryJob(id: $id) { jobId status cached error { code message } result { rows } } }`;
const LIVE = `subscription($id: ID!, $q: JSON!) { liveQuery(datasourceId: $id, query: $q) { jobId status cached error { code message } result { rows } } }`;
const JOB = `query($id: ID!) { queryJob(id: $id) { status startedAt finishedAt error { code message } } }`;
const NOTIFY = `mutation($id: ID!) { notifyDataChanged(datasourceId: $id) { id } }`;
const TERMINAL = ['DONE', 'FAILED', 'CANCELLED'];
/** The connector's connect timeout (DEFAULT_POOL_OPTIONS.connectTimeoutMs). */
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_SECONDS = 2;

function redisServerInstalled(): boolean {
  if (spawnSync('redis-server', ['--version']).status === 0) return true;
  const why = 'redis-server is not installed: the fault suite starts a Redis of its own';
  if (process.env.CI === 'true') throw new Error(`${why} (CI=true: a missing service fails the run)`);
  console.warn(`[tests] skipping: ${why}`);
  return false;
}

// All evaluated: under CI=true any one missing fails the run.
const servicesUp = [await hasService('postgres'), redisServerInstalled()].every(Boolean);

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

type Event = GqlResult;
const jobOf = (e: Event): any => e.data?.['queryJob'] ?? e.data?.['liveQuery'];
const isEnd = (e: Event) => !!e.errors || TERMINAL.includes(jobOf(e)?.status);
const uuidOf = (globalId: string) => decodeGlobalId(globalId).id;

/**
 * Waits for a subscription's first state (the subscriber is attached), then gives the promise of
 * all its states up to the end (wrapped: a promise resolved with a promise would wait for it).
 */
async function attach(it: AsyncIterator<Event>, timeoutMs: number): Promise<{ end: Promise<Event[]> }> {
  const first = await collect(it, () => true, 15_000);
  if (first.length === 0 || isEnd(first[0]!)) return { end: Promise.resolve(first) };
  return { end: collect(it, isEnd, timeoutMs).then((rest) => [...first, ...rest]) };
}

/** A failure a person can act on: a typed code other than an internal one, and words. */
function expectClearFailure(job: any, codes: string[], context: string): void {
  expect(job?.status, context).toBe('FAILED');
  expect(codes, `${context}: ${JSON.stringify(job?.error)}`).toContain(job.error?.code);
  expect(String(job.error?.message ?? '').length, context).toBeGreaterThan(10);
}

describe.skipIf(!servicesUp)('faults under live subscribers (2 APIs, 2 workers, a private Redis)', () => {
  let redis: PrivateRedis;
  let cluster: Cluster;
  let api1: SightlineProcess;
  let api2: SightlineProcess;
  let warehouse: TempDatabase;
  let admin: pg.Client;
  let meta: pg.Client;
  let hole: BlackHole | undefined;
  let tokenA: string;
  let tokenH: string;
  const ds: Record<string, string> = {};

  const fail = (what: string) => `${what}\n${cluster.output()}`;

  /** Active warehouse backends running a statement that contains `marker`. */
  async function backends(marker: string): Promise<{ pid: number; port: number }[]> {
    const r = await admin.query(
      `SELECT pid, client_port FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE $2 AND pid <> pg_backend_pid()`,
      [warehouse.name, `%${marker}%`],
    );
    return r.rows.map((row) => ({ pid: row.pid as number, port: row.client_port as number }));
  }

  /** Calls of a plpgsql function, as counted by the warehouse itself (pg_stat_user_functions). */
  async function callsOf(fn: string): Promise<number> {
    // A backend reports its function counts when it ends: end the warehouse sessions first.
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [warehouse.name]);
    await waitFor('warehouse sessions gone', async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1`, [warehouse.name])).rowCount === 0);
    const dwh = new pg.Client({ connectionString: warehouse.url });
    await dwh.connect();
    try {
      const r = await dwh.query(`SELECT coalesce(sum(calls), 0)::int AS calls FROM pg_stat_user_functions WHERE funcname = $1`, [fn]);
      return r.rows[0].calls as number;
    } finally {
      await dwh.end();
    }
  }

  async function createDatasource(url: string, token: string, name: string, sql: string, connection?: Record<string, unknown>): Promise<string> {
    const conn = connection ?? { host: PG_ADMIN.host, port: PG_ADMIN.port, database: warehouse.name, user: PG_ADMIN.user, sslMode: 'DISABLE' };
    const r = await gql(url, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name, kind: 'POSTGRES', connection: conn, source: { sql } } }, token);
    return r.createDatasource.id;
  }

  const run = async (url: string, token: string, datasourceId: string, q: unknown, refresh = true) =>
    (await gql(url, RUN, { id: datasourceId, q, r: refresh }, token)).runQuery;

  type HistoryRow = { id: string; status: string; started_at: Date | null; finished_at: Date | null };

  /**
   * The history rows (query_jobs) of a datasource once all of them have ended. The end is
   * published before the row is written, so a subscriber may hear it a moment earlier.
   */
  async function historyOf(datasourceId: string, expected: number): Promise<HistoryRow[]> {
    let rows: HistoryRow[] = [];
    try {
      return await waitFor('the history rows to end', async () => {
        rows = (await meta.query(`SELECT id, status, started_at, finished_at FROM query_jobs WHERE datasource_id = $1`, [uuidOf(datasourceId)])).rows;
        return rows.length >= expected && rows.every((r) => TERMINAL.includes(r.status) && r.finished_at !== null) && rows;
      }, 5000);
    } catch {
      return rows;
    }
  }

  /** No fault may take a process down with it. */
  function expectAllRunning(): void {
    const down = cluster.processes.filter((p) => !p.running);
    expect(down.map((p) => p.name), fail('processes that died')).toEqual([]);
  }

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    cluster = await Cluster.create({
      redisUrl: redis.url,
      env: {
        // 4 slots in all; one organization holds at most 2, so another always finds one free.
        QUERY_CONCURRENCY: '2',
        ORG_RUNNING_LIMIT: '2',
        QUEUE_LOCK_MS: '2000',
        QUEUE_STALLED_INTERVAL_MS: '500',
        STATEMENT_TIMEOUT_SECONDS: String(STATEMENT_TIMEOUT_SECONDS),
      },
    });
    warehouse = await createPgDatabase('sl_fdwh');
    admin = new pg.Client(PG_ADMIN);
    await admin.connect();
    meta = new pg.Client({ connectionString: cluster.metadata.url });
    meta.on('error', () => {});
    const dwh = new pg.Client({ connectionString: warehouse.url });
    await dwh.connect();
    try {
      // Counted by the database itself: pg_stat_user_functions.calls, for sessions opened later.
      await dwh.query(`ALTER DATABASE "${warehouse.name}" SET track_functions = 'pl'`);
      // VOLATILE: evaluated once per execution, never folded or repeated by the planner.
      for (const [fn, seconds] of [['sl_restart', 1.5], ['sl_live', 0.3], ['sl_drop', 1.5]] as const) {
        await dwh.query(`CREATE FUNCTION ${fn}() RETURNS int LANGUAGE plpgsql VOLATILE AS $$ BEGIN PERFORM pg_sleep(${seconds}); RETURN 42; END $$`);
      }
    } finally {
      await dwh.end();
    }
    [api1, api2] = await Promise.all([cluster.start('api1', 'api'), cluster.start('api2', 'api'), cluster.start('worker1', 'worker'), cluster.start('worker2', 'worker')]);
    await meta.connect();
    const signUp = async (url: string, org: string) =>
      (await gql(url, `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, { i: { email: `${org}-${Date.now()}@example.com`, password: 'a long password', organizationName: org } })).signUp.token as string;
    tokenA = await signUp(api1.url, 'a');
    tokenH = await signUp(api2.url, 'h');
    ds['restart'] = await createDatasource(api1.url, tokenA, 'Restart', `SELECT sl_restart() AS v, 'sl-fault-restart' AS marker`);
    ds['live'] = await createDatasource(api2.url, tokenA, 'Live', `SELECT sl_live() AS v, 'sl-fault-live' AS marker`);
    ds['drop'] = await createDatasource(api1.url, tokenA, 'Drop', `SELECT sl_drop() AS v, 'sl-fault-drop' AS marker`);
    ds['long'] = await createDatasource(api2.url, tokenA, 'Long', `SELECT pg_sleep(30) AS slept, 'sl-fault-long' AS marker`);
    ds['quick'] = await createDatasource(api1.url, tokenA, 'Quick', `SELECT 7 AS seven`);
  }, 90_000);

  afterAll(async () => {
    await meta?.end().catch(() => undefined);
    await cluster?.close();
    await redis?.remove();
    await hole?.close();
    await admin?.end();
    await warehouse?.drop();
  }, 60_000);

  it('Redis restarted mid-job: every subscriber on both APIs ends, the live query resumes, nothing runs twice', async () => {
    const s1 = wsClient(api1.url, tokenA);
    const s2 = wsClient(api2.url, tokenA);
    try {
      // Live queries on both APIs, each at its first result before the fault.
      const liveQuery = { dimensions: ['marker', 'v'] };
      const lives = [s1, s2].map((c) => c.subscribe(LIVE, { id: ds['live'], q: liveQuery }));
      const firstLive = await Promise.all(lives.map((it) => collect(it, (e: Event) => !!e.errors || jobOf(e)?.status === 'DONE', 20_000)));
      const firstLiveJob = jobOf(firstLive[0]!.at(-1)!);
      for (const events of firstLive) expect(jobOf(events.at(-1)!), fail('first live result')).toMatchObject({ status: 'DONE', result: { rows: [['sl-fault-live', 42]] } });

      // Four jobs: two run (the organization's limit), two wait in the queue.
      const queries = [0, 1, 2, 3].map((i) => ({ dimensions: ['marker', 'v'], filters: [{ field: 'v', op: 'lt', value: 1000 + i }] }));
      const jobs = await Promise.all(queries.map((q, i) => run(i % 2 ? api2.url : api1.url, tokenA, ds['restart']!, q)));
      // Every subscriber attached (its first state received) before the fault.
      const attached = await Promise.all(jobs.flatMap((job) => [s1, s2].map((c) => attach(c.subscribe(WATCH, { id: job.id }), 45_000))));
      await waitFor('two jobs running in the warehouse', async () => (await backends('sl-fault-restart')).length === 2, 15_000, 20);

      const runIdBefore = await redis.runId();
      await redis.kill();
      const killedAt = Date.now();
      // The data changes while Redis is down: the announcement may fail or reach a pub/sub
      // connection that is still reconnecting; the live queries must see the change anyway.
      const duringOutage = gql(api2.url, NOTIFY, { id: ds['live'] }, tokenA).then(
        () => 'announced',
        (err: Error) => `failed (${err.message.slice(0, 120)})`,
      );
      // Down long enough for every client to notice and for commands to fail, not just queue.
      await sleep(1500);
      await redis.start();
      expect(await redis.runId()).not.toBe(runIdBefore);

      const all = await Promise.all(attached.map((a) => a.end));
      const took = Date.now() - killedAt;
      const lasts = all.map((events) => events.at(-1)!);
      console.info(`[faults] Redis kill -9 + restart → all 8 subscribers ended after ${took} ms: ${lasts.map((e) => jobOf(e)?.status ?? 'error').join(' ')}`);
      for (const [i, last] of lasts.entries()) {
        const job = jobOf(last);
        expect(last.errors, fail(`subscriber ${i} got an error instead of an end: ${JSON.stringify(last.errors)}`)).toBeUndefined();
        if (job.status === 'DONE') expect(job.result.rows, fail(`subscriber ${i}`)).toEqual([['sl-fault-restart', 42]]);
        else expectClearFailure(job, ['WORKER_FAILED'], fail(`subscriber ${i}`));
      }
      // Both subscribers of a job saw the same end.
      for (let j = 0; j < jobs.length; j++) expect(jobOf(lasts[2 * j + 1]!).status).toBe(jobOf(lasts[2 * j]!).status);

      // The change made during the outage reaches both live queries (by its announcement or, if
      // that was lost, by the stored version they re-read every watchdog period).
      const outageOutcome = await duringOutage;
      const restartedAt = Date.now();
      const afterOutage = await Promise.all(
        lives.map((it) => collect(it, (e: Event) => !!e.errors || (jobOf(e)?.status === 'DONE' && jobOf(e).jobId !== firstLiveJob.jobId), 20_000)),
      );
      console.info(`[faults] change during the outage (${outageOutcome}) → new live result ${Date.now() - restartedAt} ms after the announcement settled`);
      for (const events of afterOutage) {
        expect(events.at(-1)!.errors, fail('live query error')).toBeUndefined();
        expect(jobOf(events.at(-1)!), fail('live result of the change made during the outage')).toMatchObject({ status: 'DONE', result: { rows: [['sl-fault-live', 42]] } });
      }
      const outageLiveJob = jobOf(afterOutage[0]!.at(-1)!);
      expect(jobOf(afterOutage[1]!.at(-1)!).jobId, 'one job for both APIs').toBe(outageLiveJob.jobId);

      // And they hear a change made after the restart.
      await gql(api1.url, NOTIFY, { id: ds['live'] }, tokenA);
      const notifiedAt = Date.now();
      const nextLive = await Promise.all(
        lives.map((it) => collect(it, (e: Event) => !!e.errors || (jobOf(e)?.status === 'DONE' && jobOf(e).jobId !== outageLiveJob.jobId), 20_000)),
      );
      console.info(`[faults] live query after the restart: new result ${Date.now() - notifiedAt} ms after notifyDataChanged`);
      for (const events of nextLive) {
        const last = events.at(-1)!;
        expect(last.errors, fail('live query error')).toBeUndefined();
        expect(jobOf(last), fail('live result after the restart')).toMatchObject({ status: 'DONE', cached: false, result: { rows: [['sl-fault-live', 42]] } });
      }
      // Both APIs' live queries share one new job (single flight survives the restart).
      const restartedLiveJob = jobOf(nextLive[0]!.at(-1)!);
      expect(jobOf(nextLive[1]!.at(-1)!).jobId).toBe(restartedLiveJob.jobId);

      // A change stored but never announced (the announcing request died after the update):
      // the live queries find it by re-reading the stored version every watchdog period (5 s).
      await meta.query(`UPDATE datasources SET data_version = data_version + 1 WHERE id = $1`, [uuidOf(ds['live']!)]);
      const silentAt = Date.now();
      const afterSilent = await Promise.all(
        lives.map((it) => collect(it, (e: Event) => !!e.errors || (jobOf(e)?.status === 'DONE' && jobOf(e).jobId !== restartedLiveJob.jobId), 20_000)),
      );
      console.info(`[faults] change stored without an announcement → new live result after ${Date.now() - silentAt} ms`);
      for (const events of afterSilent) {
        expect(jobOf(events.at(-1)!), fail('live result of an unannounced change')).toMatchObject({ status: 'DONE', result: { rows: [['sl-fault-live', 42]] } });
      }
      for (const it of lives) await it.return?.();

      // History: exactly one row per job, each in the end its subscribers saw.
      const rows = await historyOf(ds['restart']!, jobs.length);
      expect(rows.map((r) => r.id).sort()).toEqual(jobs.map((j) => uuidOf(j.id)).sort());
      for (const [j, job] of jobs.entries()) {
        expect(rows.find((r) => r.id === uuidOf(job.id))?.status, fail(`history of job ${j}`)).toBe(jobOf(lasts[2 * j]!).status);
      }
      const liveRows = await historyOf(ds['live']!, 4);
      expect(liveRows, 'one job before the outage, one per change: during it, after it, unannounced').toHaveLength(4);
      expect(liveRows.every((r) => r.status === 'DONE')).toBe(true);
      // Executions counted by the warehouse: each job ran its query once.
      const done = lasts.filter((e, i) => i % 2 === 0 && jobOf(e).status === 'DONE').length;
      expect(await callsOf('sl_restart'), fail('sl_restart() executions')).toBe(done);
      expect(await callsOf('sl_live'), fail('sl_live() executions')).toBe(4);
      expectAllRunning();
    } finally {
      await s1.dispose();
      await s2.dispose();
    }
  }, 90_000);

  it("the warehouse backend running a query is terminated: its subscribers get a clear FAILED, the next query works", async () => {
    const job = await run(api1.url, tokenA, ds['drop']!, { dimensions: ['marker', 'v'] });
    const s1 = wsClient(api1.url, tokenA);
    const s2 = wsClient(api2.url, tokenA);
    try {
      const ends = [s1, s2].map((c) => collect(c.subscribe(WATCH, { id: job.id }), isEnd, 15_000).catch(async (err: Error) => {
        const stored = await gql(api2.url, JOB, { id: job.id }, tokenA).catch((e: Error) => e.message);
        throw new Error(fail(`${err.message}\nthe job as the API reads it: ${JSON.stringify(stored)}`));
      }));
      const [backend] = await waitFor('the query in the warehouse', async () => {
        const b = await backends('sl-fault-drop');
        return b.length > 0 && b;
      }, 10_000, 20);
      await admin.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
      const droppedAt = Date.now();
      const [e1, e2] = await Promise.all(ends);
      const last1 = jobOf(e1!.at(-1)!);
      const last2 = jobOf(e2!.at(-1)!);
      console.info(`[faults] warehouse backend terminated → ${last1.status} ${last1.error?.code ?? ''} after ${Date.now() - droppedAt} ms: ${last1.error?.message ?? ''}`);
      expect(last2).toEqual(last1);
      if (last1.status === 'DONE') expect(last1.result.rows).toEqual([['sl-fault-drop', 42]]);
      else expectClearFailure(last1, ['CONNECTION_FAILED', 'QUERY_FAILED'], fail('the end after the backend was terminated'));
      expect((await historyOf(ds['drop']!, 1)).map((r) => r.status)).toEqual([last1.status]);
      expectAllRunning();
    } finally {
      await s1.dispose();
      await s2.dispose();
    }
    // The pool dropped the dead connection: the next run on the datasource succeeds.
    const again = await run(api2.url, tokenA, ds['drop']!, { dimensions: ['marker', 'v'] });
    const ws = wsClient(api2.url, tokenA);
    try {
      const end = await collect(ws.subscribe(WATCH, { id: again.id }), isEnd, 15_000);
      expect(jobOf(end.at(-1)!), fail('the query after the drop')).toMatchObject({ status: 'DONE', result: { rows: [['sl-fault-drop', 42]] } });
    } finally {
      await ws.dispose();
    }
  }, 45_000);

  it('a datasource that accepts connections and never answers: TIMEOUT within the connect timeout, other organizations keep running', async () => {
    hole = await BlackHole.start();
    const connection = { host: '127.0.0.1', port: hole.port, database: 'nowhere', user: 'nobody', sslMode: 'DISABLE' };
    const hung = await createDatasource(api2.url, tokenH, 'Hangs', `SELECT 1 AS one`, connection);
    const h1 = wsClient(api1.url, tokenH);
    const h2 = wsClient(api2.url, tokenH);
    const a = wsClient(api1.url, tokenA);
    try {
      // Two distinct queries: the organization's limit of slots, both stuck in connect.
      const jobs = await Promise.all([0, 1].map((i) => run(i ? api2.url : api1.url, tokenH, hung, { dimensions: ['one'], filters: [{ field: 'one', op: 'gt', value: i }] })));
      const ends = jobs.flatMap((job) => [h1, h2].map((c) => collect(c.subscribe(WATCH, { id: job.id }), isEnd, CONNECT_TIMEOUT_MS + 20_000)));
      await waitFor('both hung jobs running', async () => {
        const states = await Promise.all(jobs.map((j) => gql(api1.url, JOB, { id: j.id }, tokenH)));
        return states.every((s) => s.queryJob.status === 'RUNNING') && hole!.accepted > 0;
      }, 15_000);

      // Meanwhile another organization's query runs on the free slots, to the end.
      const quickAt = Date.now();
      const quick = await run(api2.url, tokenA, ds['quick']!, { dimensions: ['seven'] });
      const quickEnd = await collect(a.subscribe(WATCH, { id: quick.id }), isEnd, 8000);
      const quickMs = Date.now() - quickAt;
      expect(jobOf(quickEnd.at(-1)!), fail('the other organization')).toMatchObject({ status: 'DONE', result: { rows: [[7]] } });
      const during = await Promise.all(jobs.map((j) => gql(api1.url, JOB, { id: j.id }, tokenH)));
      console.info(`[faults] black hole: another organization's query DONE in ${quickMs} ms while the hung ones were ${during.map((s) => s.queryJob.status).join(', ')}`);
      expect(during.map((s) => s.queryJob.status), 'still hung when the other query ended').toEqual(['RUNNING', 'RUNNING']);

      const all = await Promise.all(ends);
      for (const [i, events] of all.entries()) {
        const last = events.at(-1)!;
        expect(last.errors, fail(`hung subscriber ${i}: ${JSON.stringify(last.errors)}`)).toBeUndefined();
        expectClearFailure(jobOf(last), ['TIMEOUT', 'CONNECTION_FAILED'], fail(`hung subscriber ${i}`));
      }
      const history = await historyOf(hung, 2);
      expect(history).toHaveLength(2);
      for (const row of history) {
        expect(row.status).toBe('FAILED');
        const ranMs = row.finished_at!.getTime() - row.started_at!.getTime();
        console.info(`[faults] black hole: job ${row.id} failed after ${ranMs} ms (${jobOf(all[0]!.at(-1)!).error.code}: ${jobOf(all[0]!.at(-1)!).error.message})`);
        // Within the connect timeout, plus the time to record the end on a loaded machine.
        expect(ranMs).toBeLessThan(CONNECT_TIMEOUT_MS + 3000);
      }
      // The hung connections were given up, not left open in the worker.
      await waitFor('the black hole connections closed', async () => hole!.open === 0, 5000).catch((err: Error) => {
        throw new Error(`${err.message}: ${hole!.open} of ${hole!.accepted} still open`);
      });
      expectAllRunning();
    } finally {
      await h1.dispose();
      await h2.dispose();
      await a.dispose();
    }
  }, CONNECT_TIMEOUT_MS + 45_000);

  it(`a query running longer than STATEMENT_TIMEOUT_SECONDS (${STATEMENT_TIMEOUT_SECONDS}) ends FAILED with TIMEOUT and leaves nothing running`, async () => {
    const job = await run(api1.url, tokenA, ds['long']!, { dimensions: ['marker'] });
    const s1 = wsClient(api1.url, tokenA);
    const s2 = wsClient(api2.url, tokenA);
    try {
      const ends = [s1, s2].map((c) => collect(c.subscribe(WATCH, { id: job.id }), isEnd, 15_000).catch(async (err: Error) => {
        const stored = await gql(api2.url, JOB, { id: job.id }, tokenA).catch((e: Error) => e.message);
        throw new Error(fail(`${err.message}\nthe job as the API reads it: ${JSON.stringify(stored)}`));
      }));
      const [e1, e2] = await Promise.all(ends);
      const last1 = jobOf(e1!.at(-1)!);
      expect(jobOf(e2!.at(-1)!)).toEqual(last1);
      expectClearFailure(last1, ['TIMEOUT'], fail('a statement over the limit'));
      const [row] = await historyOf(ds['long']!, 1);
      const ranMs = row!.finished_at!.getTime() - row!.started_at!.getTime();
      console.info(`[faults] statement timeout ${STATEMENT_TIMEOUT_SECONDS} s → FAILED TIMEOUT after ${ranMs} ms: ${last1.error.message}`);
      expect(ranMs).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_SECONDS * 1000 - 100);
      expect(ranMs).toBeLessThan(STATEMENT_TIMEOUT_SECONDS * 1000 + 3000);
      expect(await backends('sl-fault-long'), 'the statement is stopped in the database too').toHaveLength(0);
      expectAllRunning();
    } finally {
      await s1.dispose();
      await s2.dispose();
    }
  }, 30_000);
});
