/** Create, read, update, delete and paginate every model, as a client sees them. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasources, queryJobs } from '../../schema/tables';
import { decodeGlobalId } from '../graphql/ids';
import { backends, errorCode, startTestServer, type TestServer } from './harness';
import { createEverything, must, SAMPLE_CONNECTION, type OrgObjects } from './fixtures';

describe.each(await backends())('models (%s)', (backend) => {
  let s: TestServer;
  let token: string;
  let org: string;
  let o: OrgObjects;

  beforeAll(async () => {
    s = await startTestServer(backend);
    const A = await s.signUp('Models');
    token = A.token;
    org = A.organizationId;
    o = await createEverything(s, token, org);
  });
  afterAll(() => s.close());

  it('a datasource password is write-only and sealed at rest', async () => {
    const r = await must(s, `query($id: ID!) { datasource(id: $id) { name kind hasPassword connection { host port database user sslMode } source formulas { name expression } } }`, { id: o.datasourceId }, token);
    expect(r['datasource']).toEqual({
      name: 'Sales DB',
      kind: 'POSTGRES',
      hasPassword: true,
      connection: { host: 'db.internal', port: 5432, database: 'sales', user: 'reader', sslMode: 'REQUIRE' },
      source: { kind: 'table', table: 'orders', schema: 'public' },
      formulas: [{ name: 'margin', expression: '[amount] - [cost]' }],
    });
    const introspection = await must(s, `{ __type(name: "DatasourceConnection") { fields { name } } }`, {}, token);
    expect(introspection['__type'].fields.map((f: { name: string }) => f.name)).not.toContain('password');
    const stored = await s.db.select({ secrets: datasources.secrets }).from(datasources).where(sql`${datasources.id} = ${decodeGlobalId(o.datasourceId).id}`);
    expect(stored[0]!.secrets).toMatch(/^v1\./);
    expect(stored[0]!.secrets).not.toContain(SAMPLE_CONNECTION.password);
  });

  it('updating what can change results bumps the data version; renaming does not', async () => {
    const v = async () => (await must(s, `query($id: ID!) { datasource(id: $id) { dataVersion } }`, { id: o.datasourceId }, token))['datasource'].dataVersion;
    const v0 = await v();
    await must(s, `mutation($id: ID!) { updateDatasource(id: $id, input: {name: "Renamed"}) { id } }`, { id: o.datasourceId }, token);
    expect(await v()).toBe(v0);
    const upd = await must(s, `mutation($id: ID!) { updateDatasource(id: $id, input: {formulas: [{name: "double", expression: "[amount] * 2"}], connection: {port: 6543}}) { connection { host port } hasPassword formulas { name } } }`, { id: o.datasourceId }, token);
    expect(upd['updateDatasource']).toEqual({ connection: { host: 'db.internal', port: 6543 }, hasPassword: true, formulas: [{ name: 'double' }] });
    expect(await v()).toBe(v0 + 1);
    const cleared = await must(s, `mutation($id: ID!) { updateDatasource(id: $id, input: {connection: {password: ""}}) { hasPassword } }`, { id: o.datasourceId }, token);
    expect(cleared['updateDatasource'].hasPassword).toBe(false);
  });

  it('a dashboard saves its model and refuses to overwrite a newer save', async () => {
    const d = await must(s, `query($id: ID!) { dashboard(id: $id) { version model } }`, { id: o.dashboardId }, token);
    const model = d['dashboard'].model;
    model.tabs.push({ id: 't2', title: 'Second', widgets: [] });
    const saved = await must(s, `mutation($id: ID!, $m: JSON!, $v: Int!) { updateDashboard(id: $id, input: {model: $m, expectedVersion: $v}) { version model } }`, { id: o.dashboardId, m: model, v: d['dashboard'].version }, token);
    expect(saved['updateDashboard'].version).toBe(d['dashboard'].version + 1);
    expect(saved['updateDashboard'].model.tabs.map((t: { title: string }) => t.title)).toEqual(['Main', 'Second']);
    const stale = await s.gql(`mutation($id: ID!, $v: Int!) { updateDashboard(id: $id, input: {name: "late", expectedVersion: $v}) { version } }`, { id: o.dashboardId, v: d['dashboard'].version }, token);
    expect(errorCode(stale)).toBe('CONFLICT');
    const after = await must(s, `query($id: ID!) { dashboard(id: $id) { name } }`, { id: o.dashboardId }, token);
    expect(after['dashboard'].name).toBe('Sales');
  });

  it('a task computes its next run in its time zone', async () => {
    const r = await must(s, `query($id: ID!) { task(id: $id) { schedule timezone nextRunAt } }`, { id: o.taskId }, token);
    const next = new Date(r['task'].nextRunAt);
    const parisHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hour12: false }).format(next));
    expect(parisHour).toBe(3);
    expect(next.getTime()).toBeGreaterThan(Date.now());
  });

  it('a playlist keeps its items and theme', async () => {
    const r = await must(s, `mutation($id: ID!) { updatePlaylist(id: $id, input: {theme: LIGHT}) { theme items { dashboardId durationSeconds } } }`, { id: o.playlistId }, token);
    expect(r['updatePlaylist']).toEqual({ theme: 'LIGHT', items: [{ dashboardId: o.dashboardId, durationSeconds: 30 }] });
  });

  it('paginates forwards and backwards without gaps or repeats', async () => {
    for (let i = 0; i < 24; i++) await must(s, `mutation($n: String!) { createDashboard(input: {name: $n}) { id } }`, { n: `Dash ${String(i).padStart(2, '0')}` }, token);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: any = await must(s, `query($a: String) { dashboards(first: 10, after: $a) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`, { a: after }, token);
      seen.push(...page['dashboards'].edges.map((e: any) => e.node.name));
      pages++;
      if (!page['dashboards'].pageInfo.hasNextPage) break;
      after = page['dashboards'].pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen[0]).toBe('Dash 23'); // newest first
    const last: any = await must(s, `{ dashboards(last: 3) { edges { node { name } } pageInfo { hasPreviousPage } } }`, {}, token);
    expect(last['dashboards'].edges.map((e: any) => e.node.name)).toEqual(['Dash 01', 'Dash 00', 'Sales']);
    expect(last['dashboards'].pageInfo.hasPreviousPage).toBe(true);
  });

  it('deletes, after which the object is gone', async () => {
    const d = await must(s, `mutation { createDashboard(input: {name: "temporary"}) { id } }`, {}, token);
    const id = d['createDashboard'].id;
    expect((await must(s, `mutation($id: ID!) { deleteDashboard(id: $id) { name } }`, { id }, token))['deleteDashboard'].name).toBe('temporary');
    expect((await must(s, `query($id: ID!) { dashboard(id: $id) { id } }`, { id }, token))['dashboard']).toBeNull();
    expect(errorCode(await s.gql(`mutation($id: ID!) { deleteDashboard(id: $id) { id } }`, { id }, token))).toBe('NOT_FOUND');
  });

  it('lists load related objects in batches, not once per row (no N+1)', async () => {
    const orgId = decodeGlobalId(org).id;
    const dsId = decodeGlobalId(o.datasourceId).id;
    const me = await must(s, `{ viewer { user { id } } }`, {}, token);
    const userId = decodeGlobalId(me['viewer'].user.id).id;
    await s.db.insert(queryJobs).values(Array.from({ length: 30 }, () => ({ organizationId: orgId, datasourceId: dsId, requestedBy: userId, query: {}, cacheKey: 'k' })));
    const q = `{ queryJobs(first: 30) { edges { node { status datasource { name formulas { name } } requestedBy { email } } } } }`;
    s.queries.length = 0;
    const r = await must(s, q, {}, token);
    expect(r['queryJobs'].edges).toHaveLength(30);
    expect(r['queryJobs'].edges.every((e: any) => e.node.datasource.name === 'Renamed' && e.node.requestedBy.email)).toBe(true);
    // Authentication, the page, one batch of datasources, one batch of users.
    expect(s.queries.length).toBeLessThanOrEqual(5);
  });
});
