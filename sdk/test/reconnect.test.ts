/**
 * The socket reconnects and re-subscribes by itself. A TCP proxy between client and server is
 * cut to drop the connection as a network failure would; the streams go on afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/harness';
import { hasService, type TempDatabase } from '../../testkit/services';
import { createClient, signUp, type SessionClient, type SightlineClient, type SocketState } from '../src';
import { sleepyPg, sqliteEvents } from './fixtures';
import { startProxy, until, WebSocket, type Proxy } from './support';

const pgUp = await hasService('postgres');
const dataDir = mkdtempSync(join(tmpdir(), 'sightline-sdk-reconnect-'));
let s: TestServer;
let owner: SessionClient;
let proxy: Proxy;
let client: SightlineClient;
const states: SocketState[] = [];
let events: ReturnType<typeof sqliteEvents>;
let eventsId: string;

const connects = () => states.filter((st) => st === 'connected').length;

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  // A grace period keeps a job alive while its only watcher reconnects.
  s = await startTestServer('pglite', { DATA_DIR: dataDir, CANCEL_GRACE_MS: '10000' });
  owner = await signUp(s.url, { email: 'reconnect@example.com', password: 'a long password', organizationName: 'Reconnect' }, { webSocketImpl: WebSocket });
  events = sqliteEvents(dataDir);
  eventsId = (await owner.datasources.create(events.input)).id;
  proxy = await startProxy(s.url);
  client = createClient({ url: proxy.url, token: owner.session.token, webSocketImpl: WebSocket, maxRetryDelayMs: 300, onSocketState: (st) => states.push(st) });
}, 120_000);

afterAll(async () => {
  events?.close();
  await client?.close();
  await owner?.close();
  await proxy?.close();
  await s?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('reconnecting', () => {
  it('a live query continues after the connection drops, with the updates made meanwhile and after', async () => {
    const live = client.liveQuery<{ n: number }>(eventsId, { measures: [{ agg: 'count', as: 'n' }], filters: [{ field: 'kind', op: 'eq', value: 'signup' }] });
    try {
      const first = await until(live, 'the first result', (e) => e.status === 'DONE');
      expect(first.at(-1)?.rows).toEqual([{ n: 0 }]);
      const before = connects();

      proxy.cut();
      events.add('signup'); // changed while the socket is down: the re-subscription sees it
      await owner.notifyDataChanged(eventsId);
      const resumed = await until(live, 'the result after reconnecting', (e) => e.status === 'DONE' && e.rows?.[0]?.n === 1);
      expect(resumed.at(-1)?.rows).toEqual([{ n: 1 }]);
      expect(connects()).toBeGreaterThan(before);

      events.add('signup', 2); // and the new subscription gets later changes too
      await owner.notifyDataChanged(eventsId);
      const later = await until(live, 'an update on the new connection', (e) => e.status === 'DONE' && e.rows?.[0]?.n === 3);
      expect(later.at(-1)?.rows).toEqual([{ n: 3 }]);
    } finally {
      await live.return();
    }
  });

  it('survives several cuts in a row', async () => {
    const live = client.liveQuery<{ n: number }>(eventsId, { measures: [{ agg: 'count', as: 'n' }] });
    try {
      await until(live, 'the first result', (e) => e.status === 'DONE');
      for (let i = 0; i < 3; i++) {
        const before = connects();
        proxy.cut();
        await waitFor(() => connects() > before, 'a reconnect');
      }
      events.add('view');
      await owner.notifyDataChanged(eventsId);
      const after = await until(live, 'the result after the cuts', (e) => e.status === 'DONE' && (e.rows?.[0]?.n ?? 0) >= 7);
      expect(after.at(-1)?.rows?.[0]?.n).toBeGreaterThanOrEqual(7);
    } finally {
      await live.return();
    }
  });

  describe.skipIf(!pgUp)('with a job running (PostgreSQL pg_sleep)', () => {
    let sleepy: TempDatabase;
    let slowId: string;
    beforeAll(async () => {
      const ds = await sleepyPg(2);
      sleepy = ds.temp;
      slowId = (await owner.datasources.create(ds.input)).id;
    }, 60_000);
    afterAll(async () => {
      await sleepy?.drop();
    });

    it('watchJob misses no end: the server sends the current state on re-subscription', async () => {
      const job = await client.runQuery(slowId, { dimensions: ['marker'], limit: 1 }, { refresh: true });
      const watch = client.watchJob(job.id);
      await until(watch, 'RUNNING', (e) => e.status === 'RUNNING');
      const before = connects();
      proxy.cut();
      const rest = await until(watch, 'the end', (e) => ['DONE', 'FAILED', 'CANCELLED'].includes(e.status));
      expect(rest.at(-1)).toMatchObject({ status: 'DONE', result: { rows: [['sdk-sleep-marker']] } });
      expect(connects()).toBeGreaterThan(before);
      expect(await watch.next()).toEqual({ done: true, value: undefined });
    });

    it('getData resolves across a dropped connection', async () => {
      const pending = client.getData<{ marker: string }>(slowId, { dimensions: ['marker'], limit: 2 }, { refresh: true });
      setTimeout(() => proxy.cut(), 700);
      expect((await pending).rows).toEqual([{ marker: 'sdk-sleep-marker' }]);
    });
  });
});
