/** Wall displays: a display token reads its dashboards and runs their queries, nothing more. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, collect, errorCode, startTestServer, wsClient, type TestServer } from './harness';
import { must } from './fixtures';

describe.each(await backends())('wall displays (%s)', (backend) => {
  let s: TestServer;
  let owner: string;
  let sampleId: string;
  let otherDatasourceId: string;
  let dashA: string;
  let dashB: string;
  let secret: string;
  let playlistId: string;
  let display: string;
  let displayTokenId: string;

  beforeAll(async () => {
    s = await startTestServer(backend, { SAMPLE_DATASOURCE: 'true' });
    owner = (await s.signUp('Walls')).token;
    sampleId = (await must(s, `{ datasources { edges { node { id } } } }`, {}, owner))['datasources'].edges[0].node.id;
    otherDatasourceId = (await must(s, `mutation { createDatasource(input: {name: "Other", kind: SQLITE, connection: {file: "sightline-sample.sqlite"}, source: {table: "orders"}}) { id } }`, {}, owner))['createDatasource'].id;
    const model = (title: string) => ({
      tabs: [{ id: 't', title, widgets: [{ id: 'kpi', type: 'kpi', title: 'Orders', datasourceId: sampleId, query: { measures: [{ agg: 'count' }] }, layout: { x: 0, y: 0, w: 3, h: 2 } }] }],
    });
    dashA = (await must(s, `mutation($m: JSON!) { createDashboard(input: {name: "A", model: $m}) { id } }`, { m: model('A') }, owner))['createDashboard'].id;
    dashB = (await must(s, `mutation($m: JSON!) { createDashboard(input: {name: "B", model: $m}) { id } }`, { m: model('B') }, owner))['createDashboard'].id;
    secret = (await must(s, `mutation { createDashboard(input: {name: "Secret plans"}) { id } }`, {}, owner))['createDashboard'].id;
    playlistId = (await must(s, `mutation($a: ID!, $b: ID!) { createPlaylist(input: {name: "Lobby", theme: LIGHT, items: [{dashboardId: $b, durationSeconds: 10}, {dashboardId: $a, durationSeconds: 20}]}) { id } }`, { a: dashA, b: dashB }, owner))['createPlaylist'].id;
    const created = await must(s, `mutation($p: ID!) { createDisplayToken(input: {name: "Lobby screen", playlistId: $p}) { token displayToken { id targetKind targetId } } }`, { p: playlistId }, owner);
    display = created['createDisplayToken'].token;
    displayTokenId = created['createDisplayToken'].displayToken.id;
    expect(display).toMatch(/^sld_/);
    expect(created['createDisplayToken'].displayToken).toMatchObject({ targetKind: 'playlist', targetId: playlistId });
  }, 90_000);
  afterAll(() => s.close());

  it('shows its playlist’s dashboards in playlist order, with its theme', async () => {
    const r = await must(s, `{ wall { theme playlist { name items { durationSeconds } } dashboards { id name } } }`, {}, display);
    expect(r['wall']).toEqual({ theme: 'light', playlist: { name: 'Lobby', items: [{ durationSeconds: 10 }, { durationSeconds: 20 }] }, dashboards: [{ id: dashB, name: 'B' }, { id: dashA, name: 'A' }] });
  });

  it('runs the queries of its dashboards’ datasources, and no others', async () => {
    const ok = await must(s, `mutation($id: ID!) { runQuery(datasourceId: $id, query: {measures: [{agg: "count"}]}) { id status } }`, { id: sampleId }, display);
    expect(ok['runQuery'].id).toBeTruthy();
    const other = await s.gql(`mutation($id: ID!) { runQuery(datasourceId: $id, query: {measures: [{agg: "count"}]}) { id } }`, { id: otherDatasourceId }, display);
    expect(errorCode(other)).toBe('NOT_FOUND');
  });

  it('reads nothing else and changes nothing', async () => {
    expect((await must(s, `query($id: ID!) { dashboard(id: $id) { name } }`, { id: secret }, display))['dashboard']).toBeNull();
    expect(errorCode(await s.gql(`{ dashboards { edges { node { id } } } }`, {}, display))).toBe('FORBIDDEN');
    expect(errorCode(await s.gql(`{ viewer { role } }`, {}, display))).toBe('FORBIDDEN');
    expect(errorCode(await s.gql(`mutation($id: ID!) { updateDashboard(id: $id, input: {name: "x"}) { id } }`, { id: dashA }, display))).toBe('FORBIDDEN');
    expect(errorCode(await s.gql(`query($id: ID!) { datasource(id: $id) { name } }`, { id: sampleId }, display))).toBe('FORBIDDEN');
  });

  it('receives changes to its dashboards and playlist without a reload, and stops when revoked', async () => {
    const ws = wsClient(s.url, display);
    const it = ws.subscribe(`subscription { wallUpdates { theme dashboards { name } } }`);
    const first = await collect(it, () => true);
    expect((first[0] as any).data.wallUpdates.dashboards.map((d: { name: string }) => d.name)).toEqual(['B', 'A']);

    await must(s, `mutation($id: ID!) { updateDashboard(id: $id, input: {name: "A, renamed"}) { id } }`, { id: dashA }, owner);
    const second = await collect(it, () => true);
    expect((second[0] as any).data.wallUpdates.dashboards.map((d: { name: string }) => d.name)).toEqual(['B', 'A, renamed']);

    await must(s, `mutation($id: ID!) { updatePlaylist(id: $id, input: {theme: DARK}) { id } }`, { id: playlistId }, owner);
    const third = await collect(it, () => true);
    expect((third[0] as any).data.wallUpdates.theme).toBe('dark');

    // An unrelated dashboard changing sends nothing; revoking ends the stream with an error.
    await must(s, `mutation($id: ID!) { updateDashboard(id: $id, input: {name: "Still secret"}) { id } }`, { id: secret }, owner);
    await must(s, `mutation($id: ID!) { revokeDisplayToken(id: $id) { id } }`, { id: displayTokenId }, owner);
    const last = await collect(it, () => true).catch((err: Error) => [err]);
    expect(JSON.stringify(last)).toMatch(/revoked/);
    await ws.dispose();
    expect(errorCode(await s.gql(`{ wall { theme } }`, {}, display))).toBe('UNAUTHENTICATED');
  });
});
