import { LRUCache } from 'lru-cache';
import type { KvStore } from './kv-store';

/** One process: a size-bounded LRU with per-entry expiry, so memory stays flat under load. */
export function createMemoryKv(options: { maxBytes?: number } = {}): KvStore {
  const lru = new LRUCache<string, string>({
    maxSize: options.maxBytes ?? 256 * 1024 * 1024,
    sizeCalculation: (value, key) => value.length * 2 + key.length * 2 + 64,
    ttlAutopurge: false,
    allowStale: false,
  });
  const ttl = (seconds: number) => Math.max(1, Math.round(seconds * 1000));
  return {
    async get(key) {
      return lru.get(key) ?? null;
    },
    async getVia(key) {
      const target = lru.get(key);
      return target === undefined ? null : (lru.get(target) ?? null);
    },
    async set(key, value, ttlSeconds) {
      lru.set(key, value, { ttl: ttl(ttlSeconds) });
    },
    async setIfAbsent(key, value, ttlSeconds) {
      const existing = lru.get(key);
      if (existing !== undefined) return { won: false, value: existing };
      lru.set(key, value, { ttl: ttl(ttlSeconds) });
      return { won: true, value };
    },
    async deleteIf(key, expected) {
      if (lru.get(key) !== expected) return false;
      lru.delete(key);
      return true;
    },
    async delete(key) {
      lru.delete(key);
    },
    async increment(key, by, ttlSeconds) {
      const next = Number(lru.get(key) ?? '0') + by;
      lru.set(key, String(next), { ttl: ttl(ttlSeconds) });
      return next;
    },
    async close() {
      lru.clear();
    },
  };
}
