import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasService, REDIS_URL, uniqueName } from '../../../testkit/services';
import { FairDispatch } from '../bullmq/fair-dispatch';
import { createBullmqQueue, JobCancelledError, type JobQueue, type QueueJob } from '../index';
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
    const { admitted } = await dispatch.enqueue([{ id, organizationId: 'org-a', payload: { lost: true }, attempts: 1 }]);
    expect(admitted.map((j) => j.id)).toEqual([id]);
    await dispatch.deregister('ghost');

    const seen: QueueJob[] = [];
    queue.process(name, async (job) => void seen.push(job), { concurrency: 1, perOrganizationLimit: 1 });
    await eventually(() => seen.length === 1, 15_000, 'the lost job to run');
    expect(seen[0]).toMatchObject({ id, organizationId: 'org-a', payload: { lost: true } });
    await idle();
  });

  it('releases, and never runs again, a job completed and removed by BullMQ whose process died before releasing it', async () => {
    await ghostSlots();
    const id = randomUUID();
    await queue.enqueue(name, { id, organizationId: 'org-a', payload: {} });
    // Our start gate, then BullMQ completes the job (and removes it, as our hand-off asks);
    // the release that our worker makes at the end of a run never happens.
    const bare = runBare(async () => {
      expect(await dispatch.start(id)).toBe(1);
    });
    await eventually(async () => (await redis.exists(`${prefix}:${name}:${id}`)) === 0, 10_000, 'BullMQ to complete and remove the job');
    await bare.close();
    await dispatch.deregister('ghost');
    expect((await queue.counts(name)).byOrganization).toEqual({ 'org-a': { waiting: 0, running: 1 } });

    let runs = 0;
    queue.process(name, async () => void runs++, { concurrency: 1, perOrganizationLimit: 1 });
    await idle();
    await sleep(400);
    expect(runs).toBe(0);
  });

  it('skips the copy BullMQ hands out again of a job whose run ended in a process that died before telling BullMQ', async () => {
    await ghostSlots();
    const id = randomUUID();
    await queue.enqueue(name, { id, organizationId: 'org-a', payload: {} });
    // What our worker does at the end of a run, then the process stops for good: BullMQ still
    // holds the job as active, with a lock nobody renews (a worker fetching by hand renews none).
    const url = new URL(REDIS_URL);
    const bare = new Worker(name, undefined, {
      connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
      prefix,
      lockDuration: 1000,
    });
    const taken = await bare.getNextJob('dead-token');
    expect(taken?.id).toBe(id);
    const start = await dispatch.start(id);
    expect(start).toBe(1);
    await dispatch.release(id, start as number);
    await bare.close();
    await dispatch.deregister('ghost');
    expect(await queue.counts(name)).toEqual({ waiting: 0, running: 0, byOrganization: {} });

    let runs = 0;
    queue.process(name, async () => void runs++, { concurrency: 1, perOrganizationLimit: 1 });
    // BullMQ's stalled check sends the job back to wait; our worker takes it and skips it.
    await eventually(async () => (await redis.exists(`${prefix}:${name}:${id}`)) === 0, 15_000, 'the stale copy to be completed');
    await idle();
    expect(runs).toBe(0);
  });

  /** The end of another run admits the job, started ahead, for its worker to hand to BullMQ. */
  const startedAheadBy = async (organizationId: string) => {
    const id = randomUUID();
    await dispatch.enqueue([{ id, organizationId, payload: { ahead: true }, attempts: 1 }]);
    await ghostSlots();
    expect((await dispatch.release(randomUUID())).map((j) => j.id)).toEqual([id]);
    expect((await dispatch.record(id))?.state).toBe('running');
    return id;
  };

  it('hands BullMQ, and runs, a job started ahead by a worker that died before adding it', async () => {
    const id = await startedAheadBy('org-a');
    await dispatch.deregister('ghost');

    const seen: QueueJob[] = [];
    queue.process(name, async (job) => void seen.push(job), { concurrency: 1, perOrganizationLimit: 1 });
    await eventually(() => seen.length === 1, 15_000, 'the job started ahead to run');
    expect(seen[0]).toMatchObject({ id, organizationId: 'org-a', payload: { ahead: true } });
    await idle();
    await sleep(400);
    expect(seen).toHaveLength(1);
  });

  it('signals, rather than removes, a job started ahead and not in BullMQ yet; its processor gets an aborted signal', async () => {
    const id = await startedAheadBy('org-a');
    expect(await queue.cancel(name, id, 'the viewer left')).toBe('signalled');
    await dispatch.deregister('ghost');

    // Its worker died before adding it: the reconciler adds it, the start gate sees the cancel,
    // and the processor, which the caller expects to end the job, starts already aborted.
    const seen: { aborted: boolean; reason: unknown }[] = [];
    queue.process(name, async (_job, signal) => void seen.push({ aborted: signal.aborted, reason: signal.reason }), {
      concurrency: 1,
      perOrganizationLimit: 1,
    });
    await eventually(() => seen.length === 1, 15_000, 'the processor of the cancelled job');
    expect(seen[0]?.aborted).toBe(true);
    expect(seen[0]?.reason).toBeInstanceOf(JobCancelledError);
    expect((seen[0]?.reason as JobCancelledError).message).toBe('the viewer left');
    await idle();
    await sleep(400);
    expect(seen).toHaveLength(1);
  });

  it('lets only the newest run of a job release its slot', async () => {
    await ghostSlots();
    const id = randomUUID();
    await dispatch.enqueue([{ id, organizationId: 'org-a', payload: {}, attempts: 1 }]);
    expect(await dispatch.start(id)).toBe(1);
    // The first run lost its lock and BullMQ gave the job to another worker meanwhile.
    expect(await dispatch.start(id)).toBe(2);
    await dispatch.release(id, 1);
    expect(await dispatch.admittedIds()).toEqual([id]);
    await dispatch.release(id, 2);
    expect(await dispatch.admittedIds()).toEqual([]);
    expect(await dispatch.record(id)).toBeUndefined();
    await dispatch.deregister('ghost');
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
