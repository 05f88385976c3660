/**
 * The shared infrastructure of a process: key-value store, pub/sub and job queue. Redis and
 * BullMQ when REDIS_URL is set (any number of processes), memory otherwise (one process).
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { KvStore } from '../infra/cache/kv-store';
import { createMemoryKv } from '../infra/cache/memory-kv';
import { createRedisKv } from '../infra/cache/redis-kv';
import type { PubSub } from '../infra/pubsub/pubsub';
import { createMemoryPubSub } from '../infra/pubsub/memory-pubsub';
import { createRedisPubSub } from '../infra/pubsub/redis-pubsub';
import { assertNoEviction, createBullmqQueue, createMemoryQueue, type JobQueue } from '../infra/queue';
import type { Config } from './config';

export interface Infra {
  kv: KvStore;
  pubsub: PubSub;
  queue: JobQueue;
  /** A plain Redis client for the login limiter, or undefined without Redis. */
  redis: Redis | undefined;
  close(): Promise<void>;
}

export async function createInfra(config: Config, logger: Logger): Promise<Infra> {
  if (!config.redisUrl) {
    const kv = createMemoryKv();
    const pubsub = createMemoryPubSub();
    const queue = createMemoryQueue();
    return { kv, pubsub, queue, redis: undefined, close: async () => { await queue.close(); await pubsub.close(); await kv.close(); } };
  }
  const prefix = config.redisPrefix;
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error (reconnecting)'));
  // An evicted key is a lost job or a lost result: refuse to run on a Redis that evicts.
  await assertNoEviction(redis);
  const kv = createRedisKv(config.redisUrl, { prefix: `${prefix}:kv:` });
  const pubsub = createRedisPubSub(config.redisUrl, { prefix: `${prefix}:` });
  const queue = createBullmqQueue({
    connection: config.redisUrl,
    prefix,
    timings: { lockDurationMs: config.queueLockMs, stalledIntervalMs: config.queueStalledIntervalMs },
    onError: (err) => logger.warn({ err: err.message }, 'queue background error'),
  });
  return {
    kv,
    pubsub,
    queue,
    redis,
    close: async () => {
      await queue.close();
      await pubsub.close();
      await kv.close();
      redis.disconnect();
    },
  };
}
