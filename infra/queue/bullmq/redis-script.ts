import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * A Lua script sent by its hash, and by its source again when Redis forgot it (after a restart
 * or SCRIPT FLUSH), so a reconnected process needs no extra step.
 */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** The files of lua/ joined in order: shared functions first, then the script using them. */
  static fromFile(...names: string[]): RedisScript {
    return new RedisScript(names.map((name) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8')).join('\n'));
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
