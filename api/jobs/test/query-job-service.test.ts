import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../schema/database';
import type { QueryJobSnapshot } from '../../../schema/jobs/query-job-contract';
import { createMemoryKv } from '../../../infra/cache/memory-kv';
import { createQueryJobJournal, type QueryJobJournal } from '../../../infra/jobs/query-job-journal';
import { createMemoryPubSub } from '../../../infra/pubsub/memory-pubsub';
import type { PubSub } from '../../../infra/pubsub/pubsub';
import { createMemoryQueue } from '../../../infra/queue';
import type { Principal } from '../../auth/principal';
import { queuedJob } from '../../../testkit/query-jobs';
import { QueryJobService } from '../query-job-service';

/** The real embedded pub/sub, counting the subscriptions that are open. */
function countingPubSub(): PubSub & { open: () => number } {
  const inner = createMemoryPubSub();
  let open = 0;
  return {
    publish: (topic, message) => inner.publish(topic, message),
    async subscribe(topic, onMessage) {
      const stop = await inner.subscribe(topic, onMessage);
      open++;
      return async () => {
        open--;
        await stop();
      };
    },
    close: () => inner.close(),
    open: () => open,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('following a job by its id', () => {
  let database: Database;
  let journal: QueryJobJournal;
  let service: QueryJobService;
  const pubsub = countingPubSub();
  const kv = createMemoryKv();
  const queue = createMemoryQueue();
  const principal = (organizationId: string): Principal => ({ kind: 'session', userId: '', organizationId, role: 'viewer', credentialId: randomUUID() });
  const org = randomUUID();

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: null });
    journal = createQueryJobJournal({ db: database.db, kv, pubsub });
    service = new QueryJobService({
      journal,
      kv,
      pubsub,
      queue,
      logger: pino({ level: 'silent' }),
      options: { maxRows: 1000, cancelGraceMs: 0, watchdogMs: 5000, attempts: 1 },
    });
  });
  afterAll(async () => {
    await queue.close();
    await database.close();
  });

  const staged = async (status: QueryJobSnapshot['status']): Promise<QueryJobSnapshot> => {
    const job = queuedJob({ organizationId: org, datasourceId: randomUUID(), status, seq: 2 });
    await journal.stage(job);
    return job;
  };

  it('streams a running job to its end, then lets go of its topic', async () => {
    const job = await staged('RUNNING');
    const states = await service.follow(principal(org), job.id, () => true);
    expect(states).not.toBeNull();
    const first = await states!.next();
    expect(first.value).toMatchObject({ id: job.id, status: 'RUNNING' });
    await journal.announce({ ...job, status: 'DONE', seq: 3, progress: 1 });
    expect((await states!.next()).value).toMatchObject({ status: 'DONE', seq: 3 });
    expect((await states!.next()).done).toBe(true);
    await settle();
    expect(pubsub.open()).toBe(0);
  });

  it('ends with the job’s end even when a second run of the job numbered its states past it', async () => {
    const job = await staged('RUNNING');
    const states = await service.follow(principal(org), job.id, () => true);
    expect((await states!.next()).value).toMatchObject({ status: 'RUNNING', seq: 2 });
    // A second run (the first one's lock was lost) read seq 2 and announced its RUNNING as 3;
    // the first run then fails, also as 3.
    await journal.announce({ ...job, seq: 3 });
    expect((await states!.next()).value).toMatchObject({ status: 'RUNNING', seq: 3 });
    const failed = { ...job, status: 'FAILED' as const, seq: 3, error: { code: 'QUERY_FAILED', message: 'terminating connection due to administrator command' } };
    expect(await journal.announce(failed)).toBe(true);
    expect((await states!.next()).value).toMatchObject({ status: 'FAILED', seq: 3 });
    expect((await states!.next()).done).toBe(true);
    // The second run's DONE comes too late: the job has its end.
    expect(await journal.announce({ ...job, status: 'DONE', seq: 4, progress: 1 })).toBe(false);
    expect((await journal.get(job.id))?.status).toBe('FAILED');
  });

  it('refuses another organization’s job and a job the caller may not read, and keeps no subscription', async () => {
    const job = await staged('RUNNING');
    expect(await service.follow(principal(randomUUID()), job.id, () => true)).toBeNull();
    expect(await service.follow(principal(org), job.id, () => false)).toBeNull();
    expect(await service.follow(principal(org), randomUUID(), () => true)).toBeNull();
    await settle();
    expect(pubsub.open()).toBe(0);
  });

  it('hands every watcher of a quiet job its stored end, read once, when the end was never heard', async () => {
    const reads: string[] = [];
    const watchful = new QueryJobService({
      journal: { ...journal, get: (id) => (reads.push(id), journal.get(id)) },
      kv,
      pubsub,
      queue,
      logger: pino({ level: 'silent' }),
      options: { maxRows: 1000, cancelGraceMs: 0, watchdogMs: 150, attempts: 1 },
    });
    const job = await staged('RUNNING');
    const viewers = await Promise.all([1, 2, 3].map(() => watchful.follow(principal(org), job.id, () => true)));
    for (const states of viewers) expect((await states!.next()).value).toMatchObject({ status: 'RUNNING' });
    const before = reads.length;
    // Stored but never published: what a pub/sub reconnect loses.
    await journal.stage({ ...job, status: 'DONE', seq: 3, progress: 1 });
    for (const states of viewers) expect((await states!.next()).value).toMatchObject({ status: 'DONE', seq: 3 });
    expect(reads.length - before).toBe(1);
    for (const states of viewers) expect((await states!.next()).done).toBe(true);
    await settle();
    expect(pubsub.open()).toBe(0);
  });

  it('lets go of the topic and of the job when its only subscriber leaves before the first state', async () => {
    const job = await staged('QUEUED');
    const states = await service.follow(principal(org), job.id, () => true);
    await states!.return!();
    await settle();
    expect(pubsub.open()).toBe(0);
    expect((await journal.get(job.id))?.status).toBe('CANCELLED');
  });

  it('keeps the job of a subscriber who left early while another still watches it', async () => {
    const job = await staged('QUEUED');
    const staying = await service.follow(principal(org), job.id, () => true);
    expect((await staying!.next()).value).toMatchObject({ status: 'QUEUED' });
    const leaving = await service.follow(principal(org), job.id, () => true);
    await leaving!.return!();
    await settle();
    expect((await journal.get(job.id))?.status).toBe('QUEUED');
    await staying!.return!();
    await settle();
    expect((await journal.get(job.id))?.status).toBe('CANCELLED');
    expect(pubsub.open()).toBe(0);
  });
});
