import type { Redis } from 'ioredis';

/**
 * Fails unless Redis keeps every key until it is deleted: under any other maxmemory-policy a
 * full Redis silently evicts keys, and an evicted job is a lost job. Reads INFO rather than
 * CONFIG, which managed Redis services often disable.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is ${policy ?? 'unknown'}; the job queue needs noeviction ` +
        '(set "maxmemory-policy noeviction" in redis.conf), or queued jobs may be evicted and lost',
    );
  }
}
