import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

/**
 * Limits password guessing: per account+address and per address. Backed by Redis when the
 * deployment has several API processes, so the limit holds across them.
 */
export class LoginLimiter {
  readonly #perAccount: RateLimiterAbstract;
  readonly #perAddress: RateLimiterAbstract;

  constructor(redis?: Redis, limits = { perAccount: 10, perAddress: 100, windowSeconds: 900 }, namespace = 'sl') {
    const make = (points: number, keyPrefix: string) =>
      redis
        ? new RateLimiterRedis({ storeClient: redis, points, duration: limits.windowSeconds, keyPrefix })
        : new RateLimiterMemory({ points, duration: limits.windowSeconds, keyPrefix });
    this.#perAccount = make(limits.perAccount, `${namespace}:login:acct`);
    this.#perAddress = make(limits.perAddress, `${namespace}:login:addr`);
  }

  /** Consumes one attempt; returns the seconds to wait when over the limit, else null. */
  async attempt(email: string, address: string): Promise<number | null> {
    try {
      await Promise.all([this.#perAccount.consume(`${email}|${address}`), this.#perAddress.consume(address)]);
      return null;
    } catch (err) {
      if (err instanceof RateLimiterRes) return Math.ceil(err.msBeforeNext / 1000);
      throw err;
    }
  }

  /** A successful login clears the account's failures. */
  async succeeded(email: string, address: string): Promise<void> {
    await this.#perAccount.delete(`${email}|${address}`);
  }
}
