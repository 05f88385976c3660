import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasService, REDIS_URL, uniqueName } from '../../../testkit/services';
import { FairDispatch } from '../bullmq/fair-dispatch';
import { createBullmqQueue, type JobQueue, type QueueJob } from '../index';
import { deleteKeys, eventually, sleep } from './support';

const redisUp = await hasService('redis');

/**
 * States that only a crash or a race produces, built by hand: what a process can leave behind
 * when it dies between two steps (repaired by a live worker's reconciliation), and a job caught
 * between our dispatch and a worker.
 */
describe.skipIf(!redisUp)('bullmq queue in states left by crashes and races', () => {
  let prefix: string;
  let name: string;
  let queue: JobQueue;
  let redis: Redis;
  let dispatch: FairDispatch;

  beforeEach(() => {
    prefix = uniqueName('slq');
    name = uniqueName('q');
    queue = createBullmqQueue({ connection: REDIS_URL, prefix, timings: { tickMs: 200 } });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    dispatch = new FairDispatch(redis, `${prefix}:${name}:fair:`);
  });

  afterEach(async () => {
    await queue.close();
    redis.disconnect();
    await deleteKeys(REDIS_URL, prefix);
  });

  const idle = () =>
    eventually(
      async () => {
        expect(await queue.counts(name)).toEqual({ waiting: 0, running: 0, byOrganization: {} });
        return true;
      },
      10_000,
      'an idle queue',
    );

  /** A worker that registered slots, then died: its lease keeps them counted for a while. */
  const ghostSlots = () => dispatch.heartbeat('ghost', 1, 1, 60_000);

  /** BullMQ's own worker, without our bookkeeping: it finishes jobs and never releases them. */
  const runBare = (processor: () => Promise<void>) => {
    const url = new URL(REDIS_URL);
    // Options rather than a client: the worker then owns its connections and closes them.
    const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
    return new Worker(name, processor, { connection, prefix });
  };
  const finishedInBullmq = (id: string) =>
    eventually(async () => (await redis.hget(`${prefix}:${name}:${id}`, 'finishedOn')) !== null, 10_000, 'BullMQ to finish the job');

  it('hands BullMQ a job admitted by a producer that died before adding it', async () => {
    await ghostSlots();
    const id = randomUUID();
    await dispatch.enqueue({ id, organizationId: 'org-a', payload: { lost: true }, attempts: 1 });
    expect((await dispatch.admit()).map((j) => j.id)).toEqual([id]);
    await dispatch.deregister('ghost');

    const seen: QueueJob[] = [];
    queue.process(name, async (job) => void seen.push(job), { concurrency: 1, perOrganizationLimit: 1 });
    await eventually(() => seen.length === 1, 15_000, 'the lost job to run');
    expect(seen[0]).toMatchObject({ id, organizationId: 'org-a', payload: { lost: true } });
    await idle();
  });

  it('releases the slot of a job completed by a process that died before releasing it', async () => {
    await ghostSlots();
    const id = randomUUID();
    await queue.enqueue(name, { id, organizationId: 'org-a', payload: {} });
    const bare = runBare(async () => {});
    await finishedInBullmq(id);
    await bare.close();
    await dispatch.deregister('ghost');
    expect((await queue.counts(name)).byOrganization).toEqual({ 'org-a': { waiting: 1, running: 0 } });

    let runs = 0;
    queue.process(name, async () => void runs++, { concurrency: 1, perOrganizationLimit: 1 });
    await idle();
    await sleep(400);
    expect(runs).toBe(0);
  });

  it('reports a job failed for good by a process that died before reporting it', async () => {
    await ghostSlots();
    const id = randomUUID();
    await queue.enqueue(name, { id, organizationId: 'org-a', payload: { n: 1 } }, { attempts: 1 });
    const bare = runBare(async () => {
      throw new Error('died reporting');
    });
    await finishedInBullmq(id);
    await bare.close();
    await dispatch.deregister('ghost');

    const exhausted: { job: QueueJob; reason: string }[] = [];
    queue.process(name, async () => {}, {
      concurrency: 1,
      perOrganizationLimit: 1,
      onExhausted: async (job, reason) => void exhausted.push({ job, reason }),
    });
    await eventually(() => exhausted.length === 1, 10_000, 'onExhausted');
    expect(exhausted[0]).toMatchObject({ job: { id, organizationId: 'org-a', payload: { n: 1 } }, reason: 'died reporting' });
    await idle();
    await sleep(400);
    expect(exhausted).toHaveLength(1);
  });

  it('removes a cancelled job from BullMQ when it was admitted but not yet taken by a worker', async () => {
    await ghostSlots();
    const id = randomUUID();
    await queue.enqueue(name, { id, organizationId: 'org-a', payload: {} });
    expect(await redis.exists(`${prefix}:${name}:${id}`)).toBe(1);

    expect(await queue.cancel(name, id)).toBe('removed');
    expect(await redis.exists(`${prefix}:${name}:${id}`)).toBe(0);
    await dispatch.deregister('ghost');
    let runs = 0;
    queue.process(name, async () => void runs++, { concurrency: 1, perOrganizationLimit: 1 });
    await idle();
    await sleep(400);
    expect(runs).toBe(0);
  });
});
