import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoEviction, createBullmqQueue, type JobQueue } from '../index';
import { eventually, gate } from './support';

/**
 * A private Redis, because restarting the shared one would disturb everyone else's tests.
 * Append-only with fsync on every write, like a production queue's Redis, so a restart keeps
 * the queue's state.
 */
class PrivateRedis {
  private process: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'sl-redis-'));
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    await eventually(async () => {
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        probe.disconnect();
        return false;
      }
    }, 10_000, 'the private Redis');
    probe.disconnect();
  }

  /** Changes on every start: proof that a restart happened. */
  async runId(): Promise<string> {
    const client = new Redis(this.url);
    try {
      return /^run_id:(\S+)/m.exec(await client.info('server'))?.[1] ?? '';
    } finally {
      client.disconnect();
    }
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

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
    redis = new PrivateRedis(await freePort());
    await redis.start();
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
