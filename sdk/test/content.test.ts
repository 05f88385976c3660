/** Datasources, dashboards and playlists through the SDK's helpers, and paging through lists. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/harness';
import { createClient, login, operations, signUp, SightlineError, type SessionClient } from '../src';
import { WebSocket } from './support';

let s: TestServer;
let client: SessionClient;

beforeAll(async () => {
  s = await startTestServer('pglite');
  client = await signUp(s.url, { email: 'content@example.com', password: 'a long password', organizationName: 'Content' });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await s?.close();
});

describe('content helpers', () => {
  it('login returns a client acting as the person', async () => {
    const again = await login(`${s.url}/graphql/`, 'content@example.com', 'a long password', { webSocketImpl: WebSocket });
    expect(again.session.user.email).toBe('content@example.com');
    expect(await again.viewer()).toMatchObject({ role: 'OWNER', authenticatedWith: 'session', organization: { name: 'Content' } });
    await again.close();
  });

  it('datasources: create, get, update, list, delete', async () => {
    const created = await client.datasources.create({
      name: 'Warehouse',
      kind: 'POSTGRES',
      connection: { host: 'db.internal', port: 5432, database: 'dw', user: 'reader', password: 'secret', sslMode: 'REQUIRE' },
      source: { table: 'orders', schema: 'public' },
      formulas: [{ name: 'margin', expression: '[amount] - [cost]' }],
    });
    expect(created).toMatchObject({ name: 'Warehouse', kind: 'POSTGRES', hasPassword: true, connection: { host: 'db.internal', user: 'reader' }, formulas: [{ name: 'margin' }] });
    expect(created.connection).not.toHaveProperty('password');
    const updated = await client.datasources.update(created.id, { name: 'Warehouse (prod)', cacheTtlSeconds: 60 });
    expect(updated).toMatchObject({ name: 'Warehouse (prod)', cacheTtlSeconds: 60, hasPassword: true });
    expect(await client.datasources.get(created.id)).toMatchObject({ name: 'Warehouse (prod)' });
    expect((await client.datasources.list()).items.map((d) => d.id)).toContain(created.id);
    await client.datasources.delete(created.id);
    expect(await client.datasources.get(created.id)).toBeNull();
  });

  it('dashboards: versions guard against overwriting a newer save', async () => {
    const dash = await client.dashboards.create({ name: 'Sales', description: 'Monthly' });
    expect(dash.model).toBeTypeOf('object');
    const saved = await client.dashboards.update(dash.id, { name: 'Sales 2', expectedVersion: dash.version });
    expect(saved.version).toBeGreaterThan(dash.version);
    const stale = await client.dashboards.update(dash.id, { name: 'Sales 3', expectedVersion: dash.version }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(SightlineError);
    expect(stale).toMatchObject({ code: 'CONFLICT' });
    await client.dashboards.delete(dash.id);
  });

  it('playlists: items name dashboards', async () => {
    const a = await client.dashboards.create({ name: 'Wall A' });
    const b = await client.dashboards.create({ name: 'Wall B' });
    const playlist = await client.playlists.create({ name: 'Lobby', theme: 'DARK', items: [{ dashboardId: a.id, durationSeconds: 30 }, { dashboardId: b.id }] });
    expect(playlist).toMatchObject({ name: 'Lobby', theme: 'DARK', items: [{ dashboardId: a.id, durationSeconds: 30 }, { dashboardId: b.id }] });
    const renamed = await client.playlists.update(playlist.id, { name: 'Lobby screens' });
    expect(renamed.name).toBe('Lobby screens');
    expect((await client.playlists.list()).items).toHaveLength(1);
    await client.playlists.delete(playlist.id);
    expect(await client.playlists.get(playlist.id)).toBeNull();
  });

  it('listAll pages through a connection, newest first, fetching pages as needed', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `Paged ${i}`);
    for (const name of names) await client.dashboards.create({ name });
    const seen: string[] = [];
    for await (const dash of client.dashboards.listAll({ pageSize: 3 })) seen.push(dash.name);
    const paged = seen.filter((n) => n.startsWith('Paged'));
    expect(paged).toEqual([...names].reverse());
    const firstPage = await client.dashboards.list({ first: 3 });
    expect(firstPage.items).toHaveLength(3);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const second = await client.dashboards.list({ first: 3, after: firstPage.pageInfo.endCursor! });
    expect(second.items.map((d) => d.id)).not.toContain(firstPage.items[0]!.id);
  });
});

describe('operations without a helper', () => {
  it('request and subscribe take any typed document', async () => {
    const viewer = new operations.TypedDocumentString<{ viewer: { role: string } }, Record<string, never>>('query { viewer { role } }');
    expect((await client.request(viewer, {})).viewer.role).toBe('OWNER');
    const ws = createClient({ url: s.url, token: client.session.token, webSocketImpl: WebSocket });
    const missing = new operations.TypedDocumentString<{ queryJob: { status: string } }, { id: string }>('subscription($id: ID!) { queryJob(id: $id) { status } }');
    const err = await ws.subscribe(missing, { id: 'UXVlcnlKb2I6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw' }).next().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
    await ws.close();
  });
});
