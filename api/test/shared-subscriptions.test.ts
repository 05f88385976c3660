/**
 * Subscribers of one job event share its execution and frame only when their results are
 * provably the same: what each receives is exactly what it would receive alone.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { normalizedExecutor } from '@graphql-tools/executor';
import { GraphQLError, parse, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../graphql/schema';
import { decodeGlobalId, encodeGlobalId } from '../graphql/ids';
import { frameCounters, sendingFrames } from '../server/shared-frames';
import { executionCounters, SHARE_SUBSCRIPTION_RESULTS, sharingKey, useSharedSubscriptionResults } from '../server/shared-subscriptions';
import type { Principal } from '../auth/principal';
import type { QueryJobSnapshot } from '../../schema/jobs/query-job-contract';
import { jobTopic } from '../../schema/jobs/query-job-contract';
import { createPgDatabase, hasService, REDIS_URL, uniqueName, type TempDatabase } from '../../testkit/services';
import { deleteKeys } from '../../testkit/redis-keys';
import { startTestServer, wsClient, type GqlResult, type TestServer } from './harness';
import { must } from './fixtures';

const FULL = `subscription($id: ID!) { queryJob(id: $id) { jobId status progress rowsFetched cached error { code message path formula position } result { columns { name type } rows rowCount truncated } } }`;
const SLIM = `subscription($id: ID!) { queryJob(id: $id) { status result { rows } } }`;
/** `job` is scope-checked and loads through the caller's context: never shared. */
const WITH_JOB = `subscription($id: ID!) { queryJob(id: $id) { status job { id status } } }`;

function principal(organizationId: string, role: Principal['role'] = 'viewer'): Principal {
  return { kind: 'session', userId: randomUUID(), organizationId, role, credentialId: randomUUID() };
}

function snapshot(organizationId: string, change: Partial<QueryJobSnapshot> = {}): QueryJobSnapshot {
  return {
    id: randomUUID(),
    queue: 'queries',
    organizationId,
    datasourceId: randomUUID(),
    requestedBy: null,
    query: { dimensions: ['region'] },
    status: 'RUNNING',
    seq: 1,
    progress: 0.5,
    rowsFetched: 0,
    cached: false,
    queuedAt: new Date(0).toISOString(),
    startedAt: new Date(0).toISOString(),
    finishedAt: null,
    error: null,
    result: null,
    ...change,
  };
}

describe('shared subscription results, in process', () => {
  const orgA = randomUUID();
  const orgB = randomUUID();
  const jobId = encodeGlobalId('QueryJob', randomUUID());
  // Parsed once per text, as yoga's parser cache does.
  const documents = new Map<string, DocumentNode>();
  const documentOf = (query: string) => documents.get(query) ?? documents.set(query, parse(query)).get(query)!;
  const argsFor = (query: string, p: Principal, events: unknown[], shared = true): ExecutionArgs => ({
    schema,
    document: documentOf(query),
    variableValues: { id: jobId },
    contextValue: {
      principal: p,
      authFailure: null,
      services: {
        queryJobs: {
          follow: async () =>
            (async function* () {
              yield* events;
            })(),
        },
      },
      ...(shared ? { [SHARE_SUBSCRIPTION_RESULTS]: true } : {}),
    },
  });

  /** The results one subscriber receives through the plugin, or through yoga's executor alone. */
  async function results(args: ExecutionArgs, through: 'plugin' | 'executor'): Promise<ExecutionResult[]> {
    let subscribe = normalizedExecutor as (a: ExecutionArgs) => unknown;
    if (through === 'plugin') {
      useSharedSubscriptionResults().onSubscribe!({ args, subscribeFn: subscribe, setSubscribeFn: (f: unknown) => (subscribe = f as never) } as never);
    }
    const stream = (await subscribe(args)) as AsyncIterable<ExecutionResult> | ExecutionResult;
    if (!(Symbol.asyncIterator in stream)) return [stream];
    const out: ExecutionResult[] = [];
    for await (const r of stream) out.push(r);
    return out;
  }
  const json = (rs: ExecutionResult[]) => JSON.stringify(rs.map(({ errors, ...rest }) => ({ ...rest, errors: errors?.map((e) => e.toJSON()) })));

  const events = [
    snapshot(orgA),
    snapshot(orgA, { status: 'DONE', progress: 1, result: { columns: [{ name: 'region', type: 'string' }], rows: [['north'], ['south']], rowCount: 2, truncated: false } }),
    snapshot(orgA, { status: 'FAILED', error: { code: 'UNKNOWN_FIELD', message: 'no field "x"', path: 'dimensions[0]', position: { start: 1, end: 2 } } }),
    // A malformed event: resolvers fail, and each subscriber must still see the same errors.
    { ...snapshot(orgA), status: 'NOT_A_STATUS', progress: 'half' },
  ];

  it('gives each subscriber exactly what yoga’s executor gives it alone', async () => {
    for (const query of [FULL, SLIM, `subscription($id: ID!, $r: Boolean!) { queryJob(id: $id) { ... on QueryJobEvent { status } ...E @include(if: $r) } } fragment E on QueryJobEvent { error { code } result @skip(if: false) { rowCount } }`]) {
      const p = principal(orgA);
      const args = (shared: boolean) => ({ ...argsFor(query, p, events, shared), variableValues: { id: jobId, r: true } });
      expect(sharingKey(args(true))).not.toBeNull();
      const alone = await results(args(false), 'executor');
      const viaPlugin = await results(args(true), 'plugin');
      expect(alone).toHaveLength(events.length);
      expect(json(viaPlugin)).toBe(json(alone));
    }
  });

  it('executes once for subscribers asking the same thing of one event, and keeps the rest apart', async () => {
    const event = snapshot(orgA, { status: 'DONE' });
    const run = (query: string, p: Principal) => results(argsFor(query, p, [event]), 'plugin');
    const before = { ...executionCounters };
    const [a1, a2, slim, b1, editor] = await Promise.all([run(FULL, principal(orgA)), run(FULL, principal(orgA)), run(SLIM, principal(orgA)), run(FULL, principal(orgB)), run(FULL, principal(orgA, 'editor'))]);
    // Two viewers of A share; the slimmer selection, the other organization and the other role
    // each execute on their own.
    expect(executionCounters.executed - before.executed).toBe(4);
    expect(executionCounters.reused - before.reused).toBe(1);
    expect(a1[0]).toBe(a2[0]);
    for (const other of [slim, b1, editor]) expect(other[0]).not.toBe(a1[0]);
    expect(Object.keys((slim[0]!.data!['queryJob'] as object))).toEqual(['status', 'result']);
    expect(Object.isFrozen(a1[0])).toBe(true);
  });

  it('writes each subscriber the frame graphql-ws would, the shared payload encoded once', async () => {
    const event = snapshot(orgA, { status: 'DONE', result: { columns: [{ name: 'région', type: 'string' }], rows: [['nörth', 1.5]], rowCount: 1, truncated: false } });
    const [shared] = await results(argsFor(FULL, principal(orgA), [event]), 'plugin');
    const masked = { ...shared!, errors: [new GraphQLError('no', { path: ['queryJob'], extensions: { code: 'X' } })] };
    const before = { ...frameCounters };
    const frames: Buffer[] = [];
    for (const id of ['a', 'b', 'c"d']) {
      for await (const _ of sendingFrames(id, (async function* () { yield shared!; yield masked; })(), async (f) => void frames.push(f))) void _;
    }
    const expected = (id: string, r: ExecutionResult) => JSON.stringify({ id, type: 'next', payload: { data: r.data, ...(r.errors ? { errors: r.errors.map((e) => e.toJSON()) } : {}) } });
    expect(frames.map((f) => f.toString())).toEqual(['a', 'b', 'c"d'].flatMap((id) => [expected(id, shared!), expected(id, masked)]));
    expect(frameCounters.payloadReuses - before.payloadReuses).toBe(2);
  });

  it('does not share what depends on the caller, nor operations outside the WebSocket', () => {
    const p = principal(orgA);
    expect(sharingKey(argsFor(WITH_JOB, p, []))).toBeNull();
    expect(sharingKey(argsFor(FULL, p, [], false))).toBeNull();
    expect(sharingKey({ ...argsFor(FULL, p, []), contextValue: { [SHARE_SUBSCRIPTION_RESULTS]: true, principal: null } })).toBeNull();
    expect(sharingKey(argsFor(`subscription($id: ID!) { queryJob(id: $id) { status @deprecated } }`, p, []))).toBeNull();
    const key = (o: string, role: Principal['role'] = 'viewer', variables = { id: 'x', a: 1 }) => sharingKey({ ...argsFor(FULL, principal(o, role), []), variableValues: variables });
    // The same text parsed again is another document: never confused with the first.
    expect(sharingKey({ ...argsFor(FULL, p, []), document: parse(FULL) })).not.toBe(sharingKey(argsFor(FULL, p, [])));
    expect(key(orgA)).toBe(key(orgA, 'viewer', { a: 1, id: 'x' } as never));
    expect(key(orgA)).not.toBe(key(orgB));
    expect(key(orgA)).not.toBe(key(orgA, 'owner'));
    expect(key(orgA)).not.toBe(key(orgA, 'viewer', { id: 'y', a: 1 }));
  });
});

const servicesUp = [await hasService('postgres'), await hasService('redis')].every(Boolean);

describe.skipIf(!servicesUp)('shared subscription results over the WebSocket', () => {
  const prefix = uniqueName('slshare');
  let s: TestServer;
  let redis: Redis;
  let warehouse: TempDatabase;
  const orgs: { token: string; slowId: string }[] = [];

  beforeAll(async () => {
    s = await startTestServer('pglite', { REDIS_URL, REDIS_PREFIX: prefix });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    warehouse = await createPgDatabase('sl_share');
    const connection = { host: '127.0.0.1', port: 5432, database: warehouse.name, user: 'postgres', sslMode: 'DISABLE' };
    for (const name of ['Share A', 'Share B']) {
      const { token } = await s.signUp(name);
      const slowId = (await must(s, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name: 'Slow', kind: 'POSTGRES', connection, source: { sql: "SELECT pg_sleep(30) AS slept, 'sightline-share-marker' AS marker" } } }, token))['createDatasource'].id;
      orgs.push({ token, slowId });
    }
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await warehouse?.drop();
    await deleteKeys(REDIS_URL, prefix);
    redis.disconnect();
  });

  const RUN = `mutation($id: ID!, $q: JSON!) { runQuery(datasourceId: $id, query: $q, refresh: true) { id } }`;
  const stored = async (jobId: string) => JSON.parse((await redis.get(`${prefix}:kv:job:${jobId}`))!) as QueryJobSnapshot;

  /** A running job of the organization (a 30 s sleep): its states are published by the test. */
  async function runningJob(org: { token: string; slowId: string }): Promise<{ id: string; jobId: string }> {
    const id = (await must(s, RUN, { id: org.slowId, q: { dimensions: ['marker'] } }, org.token))['runQuery'].id as string;
    const jobId = decodeGlobalId(id).id;
    for (let i = 0; i < 200 && (await stored(jobId)).status !== 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    return { id, jobId };
  }

  let seq = 1000;
  async function publish(jobId: string, change: Record<string, unknown>): Promise<void> {
    const current = await stored(jobId);
    await redis.publish(`${prefix}:${jobTopic(jobId)}`, JSON.stringify({ ...current, seq: current.seq + ++seq, ...change }));
  }

  const done = { status: 'DONE', progress: 1, result: { columns: [{ name: 'marker', type: 'string' }], rows: [['a'], ['b']], rowCount: 2, truncated: false } };

  async function cancel(org: { token: string }, id: string) {
    await s.gql(`mutation($id: ID!) { cancelQueryJob(id: $id) { status } }`, { id }, org.token);
  }

  it('gives subscribers of one job with different selections each their own shape, and only what they selected', async () => {
    const org = orgs[0]!;
    const job = await runningJob(org);
    const one = wsClient(s.url, org.token);
    const two = wsClient(s.url, org.token);
    try {
      const streams = [one.subscribe(FULL, { id: job.id }), two.subscribe(FULL, { id: job.id }), one.subscribe(SLIM, { id: job.id }), two.subscribe(SLIM, { id: job.id }), two.subscribe(WITH_JOB, { id: job.id })];
      for (const st of streams) expect((await st.next()).value.data.queryJob.status).toBe('RUNNING');
      const before = { ...executionCounters };
      await publish(job.jobId, done);
      const got = (await Promise.all(streams.map((st) => st.next()))).map((r) => (r.value as GqlResult).data!['queryJob']);
      // One execution per shared selection; the `job` one ran alone.
      expect(executionCounters.executed - before.executed).toBe(2);
      expect(executionCounters.reused - before.reused).toBe(2);
      expect(got[0]).toEqual(got[1]);
      expect(got[0]).toEqual({ jobId: job.id, status: 'DONE', progress: 1, rowsFetched: 0, cached: false, error: null, result: done.result });
      expect(got[2]).toEqual({ status: 'DONE', result: { rows: [['a'], ['b']] } });
      expect(got[3]).toEqual(got[2]);
      expect(got[4]).toEqual({ status: 'DONE', job: { id: job.id, status: 'DONE' } });
      // DONE ends every subscription.
      for (const st of streams) expect((await st.next()).done).toBe(true);
    } finally {
      await one.dispose();
      await two.dispose();
      await cancel(org, job.id);
    }
  }, 30_000);

  it('never shares between organizations, and delivers errors to each subscriber', async () => {
    const jobs = await Promise.all(orgs.map((org) => runningJob(org)));
    const clients = orgs.map((org) => wsClient(s.url, org.token));
    try {
      const streams = jobs.map((job, i) => [clients[i]!.subscribe(FULL, { id: job.id }), clients[i]!.subscribe(FULL, { id: job.id })]);
      for (const st of streams.flat()) expect((await st.next()).value.data.queryJob.status).toBe('RUNNING');

      const before = { ...executionCounters };
      await Promise.all(jobs.map((job) => publish(job.jobId, { status: 'NOT_A_STATUS' })));
      const broken = (await Promise.all(streams.flat().map((st) => st.next()))).map((r) => r.value as GqlResult);
      for (const r of broken) {
        expect(r.data).toBeNull();
        expect(r.errors).toEqual([{ message: 'Enum "QueryJobStatus" cannot represent value: "NOT_A_STATUS"', path: ['queryJob', 'status'], extensions: { code: 'BAD_USER_INPUT' } }]);
      }
      // One execution per organization's event.
      expect(executionCounters.executed - before.executed).toBe(2);

      await Promise.all(jobs.map((job, i) => publish(job.jobId, { ...done, result: { ...done.result, rows: [[`org ${i}`]] } })));
      const finals = (await Promise.all(streams.flat().map((st) => st.next()))).map((r) => (r.value as GqlResult).data!['queryJob']);
      expect(finals.map((f) => [f.jobId, f.result.rows[0][0]])).toEqual([
        [jobs[0]!.id, 'org 0'],
        [jobs[0]!.id, 'org 0'],
        [jobs[1]!.id, 'org 1'],
        [jobs[1]!.id, 'org 1'],
      ]);
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
      await Promise.all(jobs.map((job, i) => cancel(orgs[i]!, job.id)));
    }
  }, 30_000);
});
