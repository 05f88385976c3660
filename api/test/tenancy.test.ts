/**
 * Every query and mutation, tried on organization A's objects by a member of organization B:
 * each must look exactly like a missing id, and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, errorCode, startTestServer, type TestServer } from './harness';
import { createEverything, must, type OrgObjects } from './fixtures';

const SNAPSHOT = `query($ds: ID!, $dash: ID!, $pl: ID!, $task: ID!, $job: ID!, $file: ID!) {
  datasource(id: $ds) { name connection { host } formulas { name } dataVersion }
  dashboard(id: $dash) { name version model }
  playlist(id: $pl) { name items { dashboardId } }
  task(id: $task) { name code schedule }
  queryJob(id: $job) { status }
  file(id: $file) { name }
  viewer { organization { name members { edges { node { id role } } } apiTokens { edges { node { id } } } invitations { edges { node { id } } } } }
}`;

describe.each(await backends())('tenancy (%s)', (backend) => {
  let s: TestServer;
  let a: OrgObjects;
  let aToken: string;
  let bToken: string;
  let before: unknown;
  let dataflowId: string;
  let runId: string;
  let reportId: string;
  const snapshotVars = () => ({ ds: a.datasourceId, dash: a.dashboardId, pl: a.playlistId, task: a.taskId, job: a.queryJobId, file: a.fileId });

  beforeAll(async () => {
    s = await startTestServer(backend);
    const A = await s.signUp('Org A');
    const B = await s.signUp('Org B');
    aToken = A.token;
    bToken = B.token;
    a = await createEverything(s, aToken, A.organizationId);
    await createEverything(s, bToken, B.organizationId);
    // A dataflow of A and one run of it (it fails: the fixture's database does not exist).
    const flow = await must(s, `mutation($d: ID!) { createDataflow(input: {name: "f", sourceDatasourceId: $d, query: {dimensions: ["region"]}, targetTable: "flow_out"}) { id } }`, { d: a.datasourceId }, aToken);
    dataflowId = flow['createDataflow'].id;
    runId = (await must(s, `mutation($id: ID!) { runDataflow(id: $id) { id } }`, { id: dataflowId }, aToken))['runDataflow'].id;
    reportId = (await must(s, `mutation($d: ID!) { createReport(input: {name: "r", dashboardId: $d, recipients: [{email: "a@example.com"}]}) { id } }`, { d: a.dashboardId }, aToken))['createReport'].id;
    before = (await must(s, SNAPSHOT, snapshotVars(), aToken));
  });
  afterAll(() => s.close());

  const ids = () => [a.datasourceId, a.dashboardId, a.playlistId, a.taskId, a.queryJobId, a.fileId, a.apiTokenId, a.invitationId, a.membershipId, a.organizationId, a.displayTokenId];

  it('node and nodes return null for every object of another organization', async () => {
    for (const id of ids()) {
      const r = await s.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, bToken);
      expect(r.errors, id).toBeUndefined();
      expect(r.data!['node'], id).toBeNull();
    }
    const many = await s.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ids() }, bToken);
    expect(many.data!['nodes']).toEqual(ids().map(() => null));
  });

  it('by-id lookups return null, exactly as for an id that does not exist', async () => {
    const r = await s.gql(SNAPSHOT, snapshotVars(), bToken);
    expect(r.errors).toBeUndefined();
    for (const field of ['datasource', 'dashboard', 'playlist', 'task', 'queryJob', 'file']) expect(r.data![field], field).toBeNull();
  });

  it('lists show only the caller organization', async () => {
    const r = await must(s, `{ datasources { edges { node { id } } } dashboards { edges { node { id } } } playlists { edges { node { id } } }
      tasks { edges { node { id } } } queryJobs { edges { node { id } } } files { edges { node { id } } } }`, {}, bToken);
    const seen = Object.values(r).flatMap((c: any) => c.edges.map((e: any) => e.node.id));
    expect(seen).toHaveLength(6);
    for (const id of ids()) expect(seen).not.toContain(id);
  });

  const mutations: Record<string, (o: OrgObjects) => [string, Record<string, unknown>]> = {
    updateDatasource: (o) => [`mutation($id: ID!) { updateDatasource(id: $id, input: {name: "pwned"}) { id } }`, { id: o.datasourceId }],
    deleteDatasource: (o) => [`mutation($id: ID!) { deleteDatasource(id: $id) { id } }`, { id: o.datasourceId }],
    updateDashboard: (o) => [`mutation($id: ID!) { updateDashboard(id: $id, input: {name: "pwned"}) { id } }`, { id: o.dashboardId }],
    deleteDashboard: (o) => [`mutation($id: ID!) { deleteDashboard(id: $id) { id } }`, { id: o.dashboardId }],
    updatePlaylist: (o) => [`mutation($id: ID!) { updatePlaylist(id: $id, input: {name: "pwned"}) { id } }`, { id: o.playlistId }],
    deletePlaylist: (o) => [`mutation($id: ID!) { deletePlaylist(id: $id) { id } }`, { id: o.playlistId }],
    updateTask: (o) => [`mutation($id: ID!) { updateTask(id: $id, input: {name: "pwned"}) { id } }`, { id: o.taskId }],
    deleteTask: (o) => [`mutation($id: ID!) { deleteTask(id: $id) { id } }`, { id: o.taskId }],
    deleteFile: (o) => [`mutation($id: ID!) { deleteFile(id: $id) { id } }`, { id: o.fileId }],
    revokeApiToken: (o) => [`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: o.apiTokenId }],
    revokeInvitation: (o) => [`mutation($id: ID!) { revokeInvitation(id: $id) { id } }`, { id: o.invitationId }],
    updateMemberRole: (o) => [`mutation($id: ID!) { updateMemberRole(id: $id, role: VIEWER) { id } }`, { id: o.membershipId }],
    removeMember: (o) => [`mutation($id: ID!) { removeMember(id: $id) { id } }`, { id: o.membershipId }],
    switchOrganization: (o) => [`mutation($id: ID!) { switchOrganization(organizationId: $id) { token } }`, { id: o.organizationId }],
    createDashboard: (o) => [
      `mutation($m: JSON!) { createDashboard(input: {name: "x", model: $m}) { id } }`,
      { m: { tabs: [{ id: 't', title: 't', widgets: [{ id: 'w', type: 'kpi', datasourceId: o.datasourceId, layout: { x: 0, y: 0, w: 1, h: 1 } }] }] } },
    ],
    testDatasource: (o) => [`mutation($id: ID!) { testDatasource(id: $id) { ok } }`, { id: o.datasourceId }],
    validateFormula: (o) => [`query($id: ID!) { validateFormula(datasourceId: $id, expression: "1") { type } }`, { id: o.datasourceId }],
    previewQuery: (o) => [`query($id: ID!) { previewQuery(datasourceId: $id, query: {}) { sql } }`, { id: o.datasourceId }],
    runQuery: (o) => [`mutation($id: ID!) { runQuery(datasourceId: $id, query: {measures: [{agg: "count"}]}) { id } }`, { id: o.datasourceId }],
    cancelQueryJob: (o) => [`mutation($id: ID!) { cancelQueryJob(id: $id) { id } }`, { id: o.queryJobId }],
    notifyDataChanged: (o) => [`mutation($id: ID!) { notifyDataChanged(datasourceId: $id) { id } }`, { id: o.datasourceId }],
    revokeDisplayToken: (o) => [`mutation($id: ID!) { revokeDisplayToken(id: $id) { id } }`, { id: o.displayTokenId }],
    createDisplayToken: (o) => [`mutation($id: ID!) { createDisplayToken(input: {name: "x", dashboardId: $id}) { token } }`, { id: o.dashboardId }],
    createPlaylist: (o) => [`mutation($d: ID!) { createPlaylist(input: {name: "x", items: [{dashboardId: $d}]}) { id } }`, { d: o.dashboardId }],
    runTask: (o) => [`mutation($id: ID!) { runTask(id: $id) { id } }`, { id: o.taskId }],
    loadFile: (o) => [`mutation($id: ID!, $f: ID!) { loadFile(datasourceId: $id, fileId: $f) { id } }`, { id: o.datasourceId, f: o.fileId }],
    updateRestDatasource: (o) => [`mutation($id: ID!) { updateRestDatasource(id: $id, input: {name: "pwned"}) { run { id } } }`, { id: o.datasourceId }],
    refreshDatasource: (o) => [`mutation($id: ID!) { refreshDatasource(id: $id) { id } }`, { id: o.datasourceId }],
    createFileDatasource: (o) => [`mutation($f: ID!) { createFileDatasource(input: {name: "x", fileId: $f}) { run { id } } }`, { f: o.fileId }],
    updateDataflow: () => [`mutation($id: ID!) { updateDataflow(id: $id, input: {name: "pwned"}) { id } }`, { id: dataflowId }],
    deleteDataflow: () => [`mutation($id: ID!) { deleteDataflow(id: $id) { id } }`, { id: dataflowId }],
    runDataflow: () => [`mutation($id: ID!) { runDataflow(id: $id) { id } }`, { id: dataflowId }],
    cancelRun: () => [`mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: runId }],
    exportDashboardPdf: (o) => [`mutation($id: ID!) { exportDashboardPdf(dashboardId: $id) { id } }`, { id: o.dashboardId }],
    sendDashboard: (o) => [`mutation($id: ID!) { sendDashboard(dashboardId: $id, recipients: [{email: "x@example.com"}]) { id } }`, { id: o.dashboardId }],
    createReport: (o) => [`mutation($id: ID!) { createReport(input: {name: "x", dashboardId: $id}) { id } }`, { id: o.dashboardId }],
    updateReport: () => [`mutation($id: ID!) { updateReport(id: $id, input: {name: "pwned"}) { id } }`, { id: reportId }],
    deleteReport: () => [`mutation($id: ID!) { deleteReport(id: $id) { id } }`, { id: reportId }],
    sendReport: () => [`mutation($id: ID!) { sendReport(id: $id) { id } }`, { id: reportId }],
  };

  it.each(Object.keys(mutations))('%s of another organization’s object is NOT_FOUND', async (name) => {
    const [query, vars] = mutations[name]!(a);
    const r = await s.gql(query, vars, bToken);
    expect(errorCode(r)).toBe('NOT_FOUND');
    expect(r.data).toBeNull();
  });

  it('logIn into an organization the person is not a member of is NOT_FOUND', async () => {
    const r = await s.gql(`mutation($i: LogInInput!) { logIn(input: $i) { token } }`, {
      i: { email: 'nobody-here@example.com', password: 'wrong password', organizationId: a.organizationId },
    });
    expect(['INVALID_CREDENTIALS', 'NOT_FOUND']).toContain(errorCode(r));
  });

  it('every query and mutation of the schema is covered by this suite', async () => {
    const r = await must(s, `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`, {}, bToken);
    const covered = new Set([
      ...Object.keys(mutations),
      // Queries tried above, and operations that take no id of an existing object.
      'node', 'nodes', 'datasource', 'dashboard', 'playlist', 'task', 'queryJob', 'file', 'viewer',
      'datasources', 'dashboards', 'playlists', 'tasks', 'queryJobs', 'files', 'logIn',
      'signUp', 'logOut', 'createOrganization', 'testConnection', 'wall', 'queues', 'activeQueryJobs', 'renameOrganization', 'createDatasource', 'createTask', 'createApiToken', 'inviteMember', 'acceptInvitation',
      // Runs and dataflows: lookups and the other organization's source are tried in dataflows.test.ts;
      // uploads, REST sources and table writes create objects from nothing of another organization.
      'run', 'runs', 'dataflow', 'dataflows', 'report', 'reports', 'updateMailSettings', 'createDataflow', 'uploadFile', 'createRestDatasource', 'writeWarehouseTable',
    ]);
    const all = [...r['__schema'].queryType.fields, ...r['__schema'].mutationType.fields].map((f: { name: string }) => f.name);
    expect(all.filter((n: string) => !covered.has(n))).toEqual([]);
  });

  it('after all of that, organization A is exactly as it was', async () => {
    expect(await must(s, SNAPSHOT, snapshotVars(), aToken)).toEqual(before);
  });
});
