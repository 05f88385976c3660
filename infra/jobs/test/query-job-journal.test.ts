import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../schema/database';
import { datasources, organizations, queryJobs } from '../../../schema/tables';
import { jobTopic, type QueryJobSnapshot } from '../../../schema/jobs/query-job-contract';
import { queuedJob } from '../../../testkit/query-jobs';
import { createPgDatabase, type TempDatabase } from '../../../testkit/services';
import { createMemoryKv } from '../../cache/memory-kv';
import { createMemoryPubSub } from '../../pubsub/memory-pubsub';
import { createQueryJobJournal, type QueryJobJournal } from '../query-job-journal';

// The producer inserts a job's history row while the worker may already be writing its
// states: whichever lands first, the row must end in the latest state.
describe.each(['pglite', 'postgres'] as const)('query job journal on %s', (kind) => {
  let temp: TempDatabase | null = null;
  let database: Database;
  let journal: QueryJobJournal;
  const kv = createMemoryKv();
  const pubsub = createMemoryPubSub();
  let org = '';
  let ds = '';

  beforeAll(async () => {
    if (kind === 'postgres') temp = await createPgDatabase('sl_journal');
    database = await openDatabase(temp ? { kind: 'postgres', url: temp.url } : { kind: 'pglite', dataDir: null });
    journal = createQueryJobJournal({ db: database.db, kv, pubsub });
    const [o] = await database.db.insert(organizations).values({ name: 'Journal' }).returning();
    org = o!.id;
    const [d] = await database.db
      .insert(datasources)
      .values({ organizationId: org, name: 'events', kind: 'postgres', connection: {} as never, source: { kind: 'table', table: 'events' } })
      .returning();
    ds = d!.id;
  });
  afterAll(async () => {
    await database?.close();
    await temp?.drop();
  });

  const job = (change: Partial<QueryJobSnapshot> = {}) => queuedJob({ organizationId: org, datasourceId: ds, ...change });
  const row = async (id: string) => (await database.db.select().from(queryJobs).where(eq(queryJobs.id, id)))[0];
  const done = (queued: QueryJobSnapshot): QueryJobSnapshot => ({
    ...queued,
    status: 'DONE',
    seq: 3,
    progress: 1,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    result: { columns: [{ name: 'count', type: 'number' }], rows: [[7]], rowCount: 1, truncated: false },
  });

  it('keeps the end when the worker writes it before the producer inserts the row', async () => {
    const queued = job();
    await journal.stage(queued);
    await journal.record({ ...queued, status: 'RUNNING', seq: 2, startedAt: new Date().toISOString() }, 'key-1');
    await journal.record(done(queued), 'key-1');
    await journal.create(queued, 'key-1', { staged: true });
    const stored = await row(queued.id);
    expect(stored).toMatchObject({ status: 'DONE', rowCount: 1, cacheKey: 'key-1', progress: 1, query: { measures: [{ agg: 'count' }] }, error: null });
    expect(stored?.finishedAt).toBeInstanceOf(Date);
    expect(stored?.queuedAt.toISOString()).toBe(queued.queuedAt);
  });

  it('keeps a failed job’s error as the structure it was', async () => {
    const queued = job();
    await journal.create(queued, 'key-3');
    const error = { code: 'QUERY_FAILED', message: 'relation "nope" does not exist' };
    await journal.record({ ...queued, status: 'FAILED', seq: 2, finishedAt: new Date().toISOString(), error }, 'key-3');
    expect(await row(queued.id)).toMatchObject({ status: 'FAILED', error, rowCount: null, startedAt: null });
  });

  it('never takes a finished row back to running', async () => {
    const queued = job();
    await journal.create(queued, 'key-2');
    await journal.record(done(queued), 'key-2');
    await journal.history({ ...queued, status: 'RUNNING', seq: 2, startedAt: new Date().toISOString() }, 'key-2');
    expect((await row(queued.id))?.status).toBe('DONE');
  });

  it('writes no row for a state recorded without the key of a run (an answer from the cache)', async () => {
    const answered = done(job());
    await journal.record(answered);
    expect(await row(answered.id)).toBeUndefined();
    expect((await journal.get(answered.id))?.status).toBe('DONE');
  });

  it('keeps a job’s first end: a later end or an older state is neither stored, heard nor recorded', async () => {
    const queued = job();
    await journal.create(queued, 'key-4');
    const heard: string[] = [];
    const stop = await pubsub.subscribe(jobTopic(queued.id), (text) => heard.push((JSON.parse(text) as QueryJobSnapshot).status));
    const running = { ...queued, status: 'RUNNING' as const, seq: 2, startedAt: new Date().toISOString() };
    expect(await journal.record(running, 'key-4')).toBe(true);
    // A cancel numbered as if it came right after RUNNING wins; a second run's states and its
    // DONE (numbered past it) come later and are refused.
    const cancelled = { ...running, status: 'CANCELLED' as const, seq: 3, finishedAt: new Date().toISOString(), error: { code: 'CANCELLED', message: 'the query was cancelled' } };
    expect(await journal.record(cancelled, 'key-4')).toBe(true);
    expect(await journal.announce({ ...running, seq: 4 })).toBe(false);
    expect(await journal.announce({ ...done(queued), seq: 5 }, [{ key: 'pointer-4', value: queued.id, ttlSeconds: 60 }])).toBe(false);
    expect(await journal.record({ ...done(queued), seq: 6 }, 'key-4')).toBe(false);
    // The same end again (a retried write) is taken.
    expect(await journal.announce(cancelled)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    await stop();
    expect(heard).toEqual(['RUNNING', 'CANCELLED', 'CANCELLED']);
    expect((await journal.get(queued.id))?.status).toBe('CANCELLED');
    expect(await kv.get('pointer-4')).toBeNull();
    expect((await row(queued.id))?.status).toBe('CANCELLED');
  });

  it('stores a state and what goes with it before anyone hears of it', async () => {
    const queued = job();
    const heard: (string | null)[] = [];
    const stop = await pubsub.subscribe(jobTopic(queued.id), () => {
      void kv.get('pointer').then((v) => heard.push(v));
    });
    await journal.announce(done(queued), [{ key: 'pointer', value: queued.id, ttlSeconds: 60 }]);
    await new Promise((r) => setTimeout(r, 10));
    await stop();
    expect(heard).toEqual([queued.id]);
  });
});
