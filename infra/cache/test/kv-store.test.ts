import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys } from '../../../testkit/redis-keys';
import { hasService, REDIS_URL, uniqueName } from '../../../testkit/services';
import type { KvStore } from '../kv-store';
import { createMemoryKv } from '../memory-kv';
import { createRedisKv } from '../redis-kv';

const redisUp = await hasService('redis');
const prefix = uniqueName('slkv');

const stores: [string, () => KvStore, boolean][] = [
  ['memory', () => createMemoryKv(), true],
  ['redis', () => createRedisKv(REDIS_URL, { prefix: `${prefix}:` }), redisUp],
];

// Several writers of one job's state (two runs after a lost lock, a cancel, the queue giving
// up) agree on one winner per version through setVersioned.
describe.each(stores)('versioned writes on the %s store', (_name, open, available) => {
  const kv = available ? open() : null;
  afterAll(async () => {
    await kv?.close();
    if (_name === 'redis' && available) await deleteKeys(REDIS_URL, prefix);
  });
  const entry = (key: string, value: string) => ({ key, value, ttlSeconds: 60 });

  it.skipIf(!available)('takes a higher version, refuses a lower one, and a different value at the same version', async () => {
    const store = kv!;
    expect(await store.setVersioned(entry('job', 'v1'), 1)).toBe(true);
    expect(await store.setVersioned(entry('job', 'v3'), 3)).toBe(true);
    expect(await store.setVersioned(entry('job', 'v2'), 2)).toBe(false);
    expect(await store.get('job')).toBe('v3');
    expect(await store.setVersioned(entry('job', 'other v3'), 3)).toBe(false);
    expect(await store.get('job')).toBe('v3');
  });

  it.skipIf(!available)('takes the same value at the same version again (a retried write)', async () => {
    const store = kv!;
    expect(await store.setVersioned(entry('retried', 'end'), 9, [entry('pointer', 'retried')])).toBe(true);
    expect(await store.setVersioned(entry('retried', 'end'), 9, [entry('pointer', 'retried')])).toBe(true);
    expect(await store.get('retried')).toBe('end');
  });

  it.skipIf(!available)('writes what goes alongside only with a value that was taken', async () => {
    const store = kv!;
    expect(await store.setVersioned(entry('with', 'new'), 5, [entry('with-pointer', 'a'), entry('with-other', 'b')])).toBe(true);
    expect([await store.get('with-pointer'), await store.get('with-other')]).toEqual(['a', 'b']);
    expect(await store.setVersioned(entry('with', 'old'), 4, [entry('with-pointer', 'stale')])).toBe(false);
    expect(await store.get('with-pointer')).toBe('a');
    // A pointer followed through getVia lands on the value it was written with.
    await store.set('to-with', 'with', 60);
    expect(await store.getVia('to-with')).toBe('new');
  });

  it.skipIf(!available)('takes any version over a value that was written without one', async () => {
    const store = kv!;
    await store.set('staged', 'queued', 60);
    expect(await store.setVersioned(entry('staged', 'running'), 0)).toBe(true);
    expect(await store.get('staged')).toBe('running');
  });
});
