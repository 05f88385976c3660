/** A WebSocket client cannot hold server resources without limit. */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, wsClient, type TestServer } from './harness';

function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closed = (socket: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

describe('WebSocket limits', () => {
  let s: TestServer;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer('pglite', { WS_MAX_SUBSCRIPTIONS: '3', WS_INIT_TIMEOUT_MS: '300', WS_MAX_MESSAGE_BYTES: '4096', SAMPLE_DATASOURCE: 'true' });
    token = (await s.signUp('Limits')).token;
  });
  afterAll(() => s.close());

  it('closes a connection that never authenticates', async () => {
    const socket = await open(s.url);
    const started = Date.now();
    const { code } = await closed(socket);
    expect(code).toBe(4408);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('closes a connection that sends an oversized message', async () => {
    const socket = await open(s.url);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(10_000) } }));
    expect((await closed(socket)).code).toBe(1009);
  });

  it('refuses operations beyond the per-connection limit, keeping the ones it has', async () => {
    const sample = (await s.gql(`{ datasources { edges { node { id } } } }`, {}, token)).data!['datasources'].edges[0].node.id;
    const ws = wsClient(s.url, token);
    const live = `subscription($id: ID!, $q: JSON!) { liveQuery(datasourceId: $id, query: $q) { status } }`;
    const open = [1, 2, 3].map((n) => ws.subscribe(live, { id: sample, q: { measures: [{ agg: 'count' }], limit: n } }));
    for (const it of open) expect((await it.next()).value?.data?.liveQuery.status).toBeTruthy();
    const fourth = ws.subscribe(live, { id: sample, q: { measures: [{ agg: 'count' }], limit: 4 } });
    await expect(fourth.next()).rejects.toSatisfy((errors: unknown) => JSON.stringify(errors).includes('TOO_MANY_SUBSCRIPTIONS'));
    // Closing one frees its place.
    await open[0]!.return?.();
    await new Promise((r) => setTimeout(r, 200));
    const again = ws.subscribe(live, { id: sample, q: { measures: [{ agg: 'count' }], limit: 5 } });
    expect((await again.next()).value?.data?.liveQuery.status).toBeTruthy();
    await ws.dispose();
  });
});
