import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateRedis } from '../../../testkit/private-redis';
import { assertNoEviction, createBullmqQueue, type JobQueue } from '../index';
import { eventually, gate } from './support';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer) {
  const why = 'redis-server is not installed: the Redis restart test needs it';
  if (process.env.CI === 'true') throw new Error(`${why} (CI=true: a missing service fails the run)`);
  console.warn(`[tests] skipping: ${why}`);
}

describe.skipIf(!hasRedisServer)('bullmq queue through a Redis restart', () => {
  let redis: PrivateRedis;
  let queue: JobQueue;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    queue = createBullmqQueue({ connection: redis.url, prefix: 'restart', timings: { tickMs: 200 }, onError: () => {} });
  });

  afterAll(async () => {
    await queue?.close();
    await redis?.remove();
  });

  it('reconnects producer and worker by themselves and carries on', async () => {
    const hold = gate();
    const done: string[] = [];
    queue.process(
      'q',
      async (job) => {
        if (job.payload === 'held') await hold.promise;
        done.push(job.id);
      },
      { concurrency: 1, perOrganizationLimit: 1 },
    );
    const held = { id: randomUUID(), organizationId: 'org-a', payload: 'held' };
    const waiting = { id: randomUUID(), organizationId: 'org-b', payload: 'waiting' };
    await queue.enqueue('q', held);
    await eventually(async () => (await queue.counts('q')).running === 1, 10_000, 'the held job to run');
    await queue.enqueue('q', waiting);

    const runIdBefore = await redis.runId();
    await redis.kill();
    await redis.start();
    hold.open();
    expect(await redis.runId()).not.toBe(runIdBefore);

    const after = { id: randomUUID(), organizationId: 'org-a', payload: 'after' };
    await eventually(async () => {
      await queue.enqueue('q', after);
      return true;
    }, 10_000, 'an enqueue after the restart');
    await eventually(() => done.length === 3, 20_000, 'all three jobs');
    expect(done).toEqual([held.id, waiting.id, after.id]);
    await eventually(async () => (await queue.counts('q')).waiting + (await queue.counts('q')).running === 0, 5000, 'idle');
  });

  it('refuses a Redis that may evict keys', async () => {
    const client = new Redis(redis.url);
    try {
      await expect(assertNoEviction(client)).resolves.toBeUndefined();
      await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await expect(assertNoEviction(client)).rejects.toThrow(/allkeys-lru/);
    } finally {
      await client.config('SET', 'maxmemory-policy', 'noeviction');
      client.disconnect();
    }
  });
});
