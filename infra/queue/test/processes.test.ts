import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasService, REDIS_URL, uniqueName } from '../../../testkit/services';
import { createBullmqQueue, type JobQueue } from '../index';
import { deleteKeys, eventually, sleep } from './support';
import { WorkerProcess } from './worker-process';

const redisUp = await hasService('redis');

describe.skipIf(!redisUp)('bullmq queue across worker processes', () => {
  let prefix: string;
  let name: string;
  let producer: JobQueue;
  let redis: Redis;
  let workers: WorkerProcess[];

  beforeEach(() => {
    prefix = uniqueName('slq');
    name = uniqueName('q');
    producer = createBullmqQueue({ connection: REDIS_URL, prefix, timings: { tickMs: 250 } });
    redis = new Redis(REDIS_URL);
    workers = [];
  });

  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await producer.close();
    await deleteKeys(REDIS_URL, prefix);
    redis.disconnect();
  });

  const spawnWorker = (env: Record<string, string> = {}) => {
    const worker = new WorkerProcess({ REDIS_URL, QUEUE_PREFIX: prefix, QUEUE_NAME: name, ...env });
    workers.push(worker);
    return worker;
  };
  // Workers register their slots in Redis: the test waits until they are all counted.
  const liveWorkers = (n: number) =>
    eventually(async () => (await redis.zcard(`${prefix}:${name}:fair:workers`)) === n, 20_000, `${n} live workers`);
  const idle = () =>
    eventually(
      async () => {
        expect(await producer.counts(name)).toEqual({ waiting: 0, running: 0, byOrganization: {} });
        return true;
      },
      10_000,
      'an idle queue',
    );
  const job = (organizationId: string, ms: number) => ({ id: randomUUID(), organizationId, payload: { ms } });

  it('delivers a cancel to the process that holds the job, and only to it', async () => {
    const [w1, w2] = [spawnWorker(), spawnWorker()];
    await liveWorkers(2);
    const x = job('org-a', 30_000);
    const y = job('org-b', 30_000);
    await producer.enqueue(name, x);
    await producer.enqueue(name, y);
    await eventually(() => [w1, w2].every((w) => w.find('start') !== undefined), 10_000, 'one job in each process');
    const holderOfX = w1.find('start', x.id) ? w1 : w2;
    const holderOfY = holderOfX === w1 ? w2 : w1;

    expect(await producer.cancel(name, x.id, 'stop x')).toBe('signalled');
    expect((await holderOfX.waitFor('aborted', x.id, 5000)).reason).toBe('stop x');
    await sleep(300);
    expect(holderOfY.find('aborted')).toBeUndefined();

    expect(await producer.cancel(name, y.id, 'stop y')).toBe('signalled');
    expect((await holderOfY.waitFor('aborted', y.id, 5000)).reason).toBe('stop y');
    await idle();
  });

  it('retries the job of a process killed with SIGKILL in another process', async () => {
    const doomed = spawnWorker({ RUN_MS: '60000' });
    await liveWorkers(1);
    const x = job('org-a', 0);
    await producer.enqueue(name, x, { attempts: 2 });
    await doomed.waitFor('start', x.id);
    const survivor = spawnWorker({ RUN_MS: '200' });
    await liveWorkers(2);
    expect((await producer.counts(name)).byOrganization).toEqual({ 'org-a': { waiting: 0, running: 1 } });

    const killedAt = Date.now();
    doomed.kill('SIGKILL');
    const restarted = await survivor.waitFor('start', x.id, 15_000);
    const latency = restarted.at - killedAt;
    console.info(`SIGKILL -> job restarted in the other process after ${latency} ms`);
    expect(latency).toBeLessThan(10_000);

    await survivor.waitFor('done', x.id);
    await idle();
    // The dead process's slots left the capacity when its lease ran out.
    await liveWorkers(1);
  });

  it('reports a job that stalled too often as exhausted, once, from a live process', async () => {
    const doomed = spawnWorker({ RUN_MS: '60000', MAX_STALLED: '0' });
    await liveWorkers(1);
    const x = job('org-a', 0);
    await producer.enqueue(name, x, { attempts: 3 });
    await doomed.waitFor('start', x.id);
    const survivor = spawnWorker({ MAX_STALLED: '0' });
    await liveWorkers(2);

    const killedAt = Date.now();
    doomed.kill('SIGKILL');
    const exhausted = await survivor.waitFor('exhausted', x.id, 15_000);
    console.info(`SIGKILL -> job reported exhausted after ${exhausted.at - killedAt} ms`);
    expect(exhausted.reason).toMatch(/stalled/);
    await idle();
    await sleep(1000);
    expect(survivor.events.filter((e) => e.event === 'exhausted')).toHaveLength(1);
    expect(survivor.find('start', x.id)).toBeUndefined();
  });
});
