import { Redis, type RedisOptions } from 'ioredis';
import type { KvStore } from './kv-store';

// The pointer holds an unprefixed key: the script resolves it under the same prefix (ARGV[1]).
const GET_VIA = `local target = redis.call('GET', KEYS[1])
if not target then return false end
return redis.call('GET', ARGV[1] .. target)`;

const DELETE_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const SET_IF_ABSENT = `local ok = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
if ok then return {1, ARGV[1]} end
return {0, redis.call('GET', KEYS[1])}`;

// KEYS[1] the value, KEYS[2] its version, KEYS[3..] written alongside.
// ARGV[1] value, ARGV[2] version, ARGV[3] ttl, then a value and a ttl per key alongside.
const SET_VERSIONED = `local current = tonumber(redis.call('GET', KEYS[2]) or '-1')
local version = tonumber(ARGV[2])
if version < current or (version == current and redis.call('GET', KEYS[1]) ~= ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[2 * i - 2], 'EX', ARGV[2 * i - 1]) end
return 1`;

const INCREMENT = `local v = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return v`;

/** Redis, with the compare-and-set steps as scripts so they stay atomic across processes. */
export function createRedisKv(url: string, options: RedisOptions & { prefix?: string } = {}): KvStore {
  const { prefix = '', ...redisOptions } = options;
  const redis = new Redis(url, { maxRetriesPerRequest: 3, ...redisOptions });
  redis.on('error', () => {});
  // Defined commands go out as EVALSHA (the script text once per connection, re-sent by
  // ioredis when a restarted Redis has forgotten it): less to write and parse per call.
  redis.defineCommand('slGetVia', { numberOfKeys: 1, lua: GET_VIA });
  redis.defineCommand('slDeleteIf', { numberOfKeys: 1, lua: DELETE_IF });
  redis.defineCommand('slSetIfAbsent', { numberOfKeys: 1, lua: SET_IF_ABSENT });
  redis.defineCommand('slIncrement', { numberOfKeys: 1, lua: INCREMENT });
  redis.defineCommand('slSetVersioned', { lua: SET_VERSIONED });
  const scripts = redis as unknown as Record<'slGetVia' | 'slDeleteIf' | 'slSetIfAbsent' | 'slIncrement' | 'slSetVersioned', (...args: string[]) => Promise<unknown>>;
  const k = (key: string) => prefix + key;
  const seconds = (s: number) => String(Math.max(1, Math.ceil(s)));
  return {
    get: (key) => redis.get(k(key)),
    async getVia(key) {
      // One round trip: a cache hit is on the hot path of every dashboard.
      return (await scripts.slGetVia(k(key), prefix)) as string | null;
    },
    async set(key, value, ttlSeconds) {
      await redis.set(k(key), value, 'EX', Number(seconds(ttlSeconds)));
    },
    async setVersioned(entry, version, alongside = []) {
      const keys = [k(entry.key), k(`${entry.key}:version`), ...alongside.map((e) => k(e.key))];
      const args = [entry.value, String(version), seconds(entry.ttlSeconds), ...alongside.flatMap((e) => [e.value, seconds(e.ttlSeconds)])];
      return (await scripts.slSetVersioned(String(keys.length), ...keys, ...args)) === 1;
    },
    async setIfAbsent(key, value, ttlSeconds) {
      const [won, current] = (await scripts.slSetIfAbsent(k(key), value, seconds(ttlSeconds))) as [number, string];
      return { won: won === 1, value: current };
    },
    async deleteIf(key, expected) {
      return (await scripts.slDeleteIf(k(key), expected)) === 1;
    },
    async delete(key) {
      await redis.del(k(key));
    },
    async increment(key, by, ttlSeconds) {
      return Number(await scripts.slIncrement(k(key), String(by), seconds(ttlSeconds)));
    },
    async close() {
      redis.disconnect();
    },
  };
}

