/** Query jobs through the SDK: following a job, live results, cancelling by call, abort and leaving. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/harness';
import { hasService, type TempDatabase } from '../../testkit/services';
import { operations, QueryFailedError, signUp, type QueryJobEvent, type SessionClient } from '../src';
import { sleepyPg, sqliteEvents } from './fixtures';
import { nextWithin, until, WebSocket } from './support';

const pgUp = await hasService('postgres');
const dataDir = mkdtempSync(join(tmpdir(), 'sightline-sdk-jobs-'));
let s: TestServer;
let client: SessionClient;
let events: ReturnType<typeof sqliteEvents>;
let eventsId: string;

beforeAll(async () => {
  s = await startTestServer('pglite', { DATA_DIR: dataDir });
  client = await signUp(s.url, { email: 'jobs@example.com', password: 'a long password', organizationName: 'Jobs' }, { webSocketImpl: WebSocket });
  events = sqliteEvents(dataDir);
  eventsId = (await client.datasources.create(events.input)).id;
}, 120_000);

afterAll(async () => {
  events?.close();
  await client?.close();
  await s?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const isEnd = (e: { status: string }) => ['DONE', 'FAILED', 'CANCELLED'].includes(e.status);

describe('following jobs', () => {
  it('runQuery gives a job and watchJob its states up to DONE, then ends', async () => {
    const job = await client.runQuery(eventsId, { dimensions: ['kind'], measures: [{ agg: 'count' }] }, { refresh: true });
    expect(['QUEUED', 'RUNNING', 'DONE']).toContain(job.status);
    const seen: QueryJobEvent[] = [];
    for await (const event of client.watchJob(job.id)) seen.push(event);
    expect(seen.at(-1)).toMatchObject({ jobId: job.id, status: 'DONE', result: { rows: [['click', 1], ['view', 2]] } });
  });

  it('getData returns at once for a cached answer', async () => {
    const q = { measures: [{ agg: 'count' as const, as: 'n' }] };
    await client.getData(eventsId, q, { refresh: true });
    const job = await client.runQuery(eventsId, q);
    expect(job).toMatchObject({ status: 'DONE', cached: true });
    expect(await client.getData(eventsId, q)).toMatchObject({ cached: true, jobId: job.id });
  });

  it('liveQuery pushes new rows after an insert and notifyDataChanged, and stays open', async () => {
    const live = client.liveQuery<{ kind: string; count: number }>(eventsId, { dimensions: ['kind'], measures: [{ agg: 'count' }], filters: [{ field: 'kind', op: 'eq', value: 'purchase' }] });
    try {
      const first = await until(live, 'the first result', (e) => e.status === 'DONE');
      expect(first.at(-1)).toMatchObject({ status: 'DONE', rows: [], columns: [{ name: 'kind', type: 'string' }, { name: 'count', type: 'number' }] });
      events.add('purchase', 2);
      await client.notifyDataChanged(eventsId);
      const second = await until(live, 'the refreshed result', (e) => e.status === 'DONE');
      expect(second.at(-1)?.rows).toEqual([{ kind: 'purchase', count: 2 }]);
      events.add('purchase');
      await client.notifyDataChanged(eventsId);
      const third = await until(live, 'a second refresh', (e) => e.status === 'DONE');
      expect(third.at(-1)?.rows).toEqual([{ kind: 'purchase', count: 3 }]);
    } finally {
      await live.return();
    }
  });

  it('liveQuery reports a bad query as a FAILED event with a typed error', async () => {
    const live = client.liveQuery(eventsId, { dimensions: ['knd'] });
    try {
      const failed = await until(live, 'the failure', isEnd);
      expect(failed.at(-1)?.status).toBe('FAILED');
      expect(failed.at(-1)?.error).toBeInstanceOf(QueryFailedError);
      expect(failed.at(-1)?.error).toMatchObject({ code: 'UNKNOWN_FIELD', path: 'dimensions[0]' });
    } finally {
      await live.return();
    }
  });
});

describe.skipIf(!pgUp)('cancelling jobs (PostgreSQL pg_sleep)', () => {
  let sleepy: TempDatabase;
  let slowId: string;
  beforeAll(async () => {
    const ds = await sleepyPg(30);
    sleepy = ds.temp;
    slowId = (await client.datasources.create(ds.input)).id;
  }, 60_000);
  afterAll(async () => {
    await sleepy?.drop();
  });

  const statusOf = async (jobId: string) => (await client.request(operations.GetQueryJobDocument, { id: jobId })).queryJob?.status;

  it('cancel ends a running job CANCELLED, and its watchers see the end', async () => {
    const job = await client.runQuery(slowId, { dimensions: ['marker'] }, { refresh: true });
    const watch = client.watchJob(job.id);
    await until(watch, 'RUNNING', (e) => e.status === 'RUNNING');
    const cancelled = await client.cancel(job.id);
    expect(cancelled.status).toBe('CANCELLED');
    const rest = await until(watch, 'the end', isEnd);
    expect(rest.at(-1)?.status).toBe('CANCELLED');
    expect(await statusOf(job.id)).toBe('CANCELLED');
  });

  it('getData on a cancelled job throws QueryFailedError CANCELLED', async () => {
    const q = { dimensions: ['marker'], limit: 3 };
    const job = await client.runQuery(slowId, q, { refresh: true });
    const pending = client.getData(slowId, q);
    setTimeout(() => void client.cancel(job.id), 300);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect(err).toMatchObject({ code: 'CANCELLED', status: 'CANCELLED', jobId: job.id });
  });

  it('aborting getData cancels its job', async () => {
    const controller = new AbortController();
    const q = { dimensions: ['marker'], filters: [{ field: 'marker', op: 'starts_with' as const, value: 'sdk' }] };
    const pending = client.getData(slowId, q, { refresh: true, signal: controller.signal });
    const job = await client.runQuery(slowId, q); // joins the job in flight
    setTimeout(() => controller.abort(), 300);
    const err = await pending.catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(await statusOf(job.id)).toBe('CANCELLED');
  });

  it('returning from a liveQuery leaves its job, which is then cancelled', async () => {
    const live = client.liveQuery(slowId, { dimensions: ['marker'], limit: 7 });
    const first = await nextWithin(live, 'the first state');
    expect(['QUEUED', 'RUNNING']).toContain(first.status);
    await live.return();
    const deadline = Date.now() + 5000;
    while ((await statusOf(first.jobId)) !== 'CANCELLED' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await statusOf(first.jobId)).toBe('CANCELLED');
  });
});
