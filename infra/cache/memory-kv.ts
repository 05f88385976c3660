import { LRUCache } from 'lru-cache';
import type { KvStore } from './kv-store';

/** Where a versioned value keeps its version (a key no caller can form: it holds a NUL). */
const versionKey = (key: string) => `${key}\u0000version`;

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
    async setVersioned(entry, version, alongside = []) {
      const stored = lru.get(versionKey(entry.key));
      const current = stored === undefined ? -1 : Number(stored);
      if (version < current || (version === current && lru.get(entry.key) !== entry.value)) return false;
      for (const e of [entry, ...alongside]) lru.set(e.key, e.value, { ttl: ttl(e.ttlSeconds) });
      lru.set(versionKey(entry.key), String(version), { ttl: ttl(entry.ttlSeconds) });
      return true;
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
