import { Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: a redis:// URL or ioredis options. */
export type RedisTarget = string | RedisOptions;

/** Reconnect forever, backing off to 2 s: a Redis restart is waited out, not fatal. */
function retryStrategy(times: number): number {
  return Math.min(100 * times, 2000);
}

/**
 * A connection that survives Redis restarts. `blocking` ones (BullMQ workers) wait for Redis
 * as long as it takes, as BullMQ requires; the others give up on a command after a few
 * reconnection attempts, so a caller sees an error instead of hanging through an outage.
 */
export function openRedis(target: RedisTarget, { blocking, subscriber = false }: { blocking: boolean; subscriber?: boolean }): Redis {
  const given: RedisOptions = typeof target === 'string' ? {} : target;
  const options: RedisOptions = {
    retryStrategy,
    ...given,
    maxRetriesPerRequest: blocking ? null : (given.maxRetriesPerRequest ?? 3),
    // A SUBSCRIBE issued while ioredis runs its ready check (INFO) on a new connection goes out
    // first and makes the check fail, fatally: subscriber connections skip the check.
    ...(subscriber ? { enableReadyCheck: false } : {}),
  };
  const redis = typeof target === 'string' ? new Redis(target, options) : new Redis(options);
  // Connection errors are followed by ioredis' own reconnection; without a listener they would
  // crash the process.
  redis.on('error', () => {});
  return redis;
}
