/** One of every model in an organization, created through the API as a user would. */
import { queryJobs, files } from '../../schema/tables';
import { decodeGlobalId, encodeGlobalId } from '../graphql/ids';
import type { TestServer } from './harness';

export interface OrgObjects {
  organizationId: string;
  datasourceId: string;
  dashboardId: string;
  playlistId: string;
  taskId: string;
  apiTokenId: string;
  apiToken: string;
  invitationId: string;
  /** A second member (an editor who joined by invitation). */
  membershipId: string;
  memberToken: string;
  queryJobId: string;
  fileId: string;
  displayTokenId: string;
}

export async function must<T = Record<string, any>>(s: TestServer, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const r = await s.gql<T>(query, variables, token);
  if (r.errors || !r.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(r.errors)}`);
  return r.data;
}

export const SAMPLE_CONNECTION = { host: 'db.internal', port: 5432, database: 'sales', user: 'reader', password: 's3cret-p@ss', sslMode: 'REQUIRE' };

export async function createEverything(s: TestServer, token: string, organizationId: string): Promise<OrgObjects> {
  const ds = await must(s, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, {
    i: { name: 'Sales DB', kind: 'POSTGRES', connection: SAMPLE_CONNECTION, source: { table: 'orders', schema: 'public' }, formulas: [{ name: 'margin', expression: '[amount] - [cost]' }] },
  }, token);
  const datasourceId = ds['createDatasource'].id;
  const model = {
    tabs: [{ id: 't1', title: 'Main', widgets: [{ id: 'w1', type: 'kpi', title: 'Revenue', datasourceId, query: { measures: [{ agg: 'sum', field: 'amount' }] }, layout: { x: 0, y: 0, w: 4, h: 2 } }] }],
  };
  const dash = await must(s, `mutation($i: CreateDashboardInput!) { createDashboard(input: $i) { id } }`, { i: { name: 'Sales', model } }, token);
  const dashboardId = dash['createDashboard'].id;
  const pl = await must(s, `mutation($i: PlaylistInput!) { createPlaylist(input: $i) { id } }`, {
    i: { name: 'Lobby wall', items: [{ dashboardId, durationSeconds: 30 }] },
  }, token);
  const task = await must(s, `mutation($i: TaskInput!) { createTask(input: $i) { id } }`, {
    i: { name: 'Nightly load', code: 'console.log(1)', schedule: '0 3 * * *', timezone: 'Europe/Paris' },
  }, token);
  const tok = await must(s, `mutation { createApiToken(input: {name: "script"}) { token apiToken { id } } }`, {}, token);
  const inv = await must(s, `mutation { inviteMember(email: "pending-${Math.random().toString(36).slice(2)}@example.com", role: VIEWER) { invitation { id } } }`, {}, token);

  const editorEmail = `editor-${Math.random().toString(36).slice(2)}@example.com`;
  const inv2 = await must(s, `mutation($e: String!) { inviteMember(email: $e, role: EDITOR) { token } }`, { e: editorEmail }, token);
  const joined = await must(s, `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, {
    i: { email: editorEmail, password: 'a long password', invitationToken: inv2['inviteMember'].token },
  }, '');
  const members = await must(s, `{ viewer { organization { members(first: 50) { edges { node { id role } } } } } }`, {}, token);
  const editor = members['viewer'].organization.members.edges.find((e: { node: { role: string } }) => e.node.role === 'EDITOR');

  const display = await must(s, `mutation($d: ID!) { createDisplayToken(input: {name: "lobby", dashboardId: $d}) { displayToken { id } } }`, { d: dashboardId }, token);

  // No mutation creates query jobs or files yet: seed them as the workers and uploads would.
  const org = decodeGlobalId(organizationId).id;
  const [job] = await s.db
    .insert(queryJobs)
    .values({ organizationId: org, datasourceId: decodeGlobalId(datasourceId).id, query: { measures: [] }, cacheKey: 'k', status: 'DONE' })
    .returning();
  const [file] = await s.db
    .insert(files)
    .values({ organizationId: org, name: 'orders.csv', contentType: 'text/csv', size: 10, sha256: 'x', storageKey: 'k' })
    .returning();

  return {
    organizationId,
    datasourceId,
    dashboardId,
    playlistId: pl['createPlaylist'].id,
    taskId: task['createTask'].id,
    apiTokenId: tok['createApiToken'].apiToken.id,
    apiToken: tok['createApiToken'].token,
    invitationId: inv['inviteMember'].invitation.id,
    membershipId: editor.node.id,
    memberToken: joined['signUp'].token,
    queryJobId: encodeGlobalId('QueryJob', job!.id),
    fileId: encodeGlobalId('File', file!.id),
    displayTokenId: display['createDisplayToken'].displayToken.id,
  };
}
