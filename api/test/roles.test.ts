/** What each role may do: a viewer changes nothing; an editor changes content, not members. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, errorCode, startTestServer, type TestServer } from './harness';
import { createEverything, must, type OrgObjects } from './fixtures';

async function join(s: TestServer, ownerToken: string, role: 'EDITOR' | 'VIEWER') {
  const email = `${role.toLowerCase()}-${Math.random().toString(36).slice(2)}@example.com`;
  const inv = await must(s, `mutation($e: String!, $r: Role!) { inviteMember(email: $e, role: $r) { token } }`, { e: email, r: role }, ownerToken);
  const up = await must(s, `mutation($i: SignUpInput!) { signUp(input: $i) { token role } }`, {
    i: { email, password: 'a long password', invitationToken: inv['inviteMember'].token },
  }, '');
  expect(up['signUp'].role).toBe(role);
  return up['signUp'].token as string;
}

describe.each(await backends())('roles (%s)', (backend) => {
  let s: TestServer;
  let owner: string;
  let editor: string;
  let viewer: string;
  let o: OrgObjects;

  beforeAll(async () => {
    s = await startTestServer(backend);
    const A = await s.signUp('Roles');
    owner = A.token;
    o = await createEverything(s, owner, A.organizationId);
    editor = await join(s, owner, 'EDITOR');
    viewer = await join(s, owner, 'VIEWER');
  });
  afterAll(() => s.close());

  const contentWrites: Record<string, (o: OrgObjects) => [string, Record<string, unknown>]> = {
    createDatasource: () => [`mutation { createDatasource(input: {name: "x", kind: SQLITE, connection: {file: "x.sqlite"}, source: {table: "t"}}) { id } }`, {}],
    updateDatasource: (o) => [`mutation($id: ID!) { updateDatasource(id: $id, input: {name: "renamed"}) { id } }`, { id: o.datasourceId }],
    createDashboard: () => [`mutation { createDashboard(input: {name: "x"}) { id } }`, {}],
    updateDashboard: (o) => [`mutation($id: ID!) { updateDashboard(id: $id, input: {name: "renamed"}) { id } }`, { id: o.dashboardId }],
    createPlaylist: () => [`mutation { createPlaylist(input: {name: "x"}) { id } }`, {}],
    updatePlaylist: (o) => [`mutation($id: ID!) { updatePlaylist(id: $id, input: {theme: LIGHT}) { id } }`, { id: o.playlistId }],
    createTask: () => [`mutation { createTask(input: {name: "x"}) { id } }`, {}],
    updateTask: (o) => [`mutation($id: ID!) { updateTask(id: $id, input: {enabled: false}) { id } }`, { id: o.taskId }],
    createApiToken: () => [`mutation { createApiToken(input: {name: "x"}) { token } }`, {}],
    createDisplayToken: (o) => [`mutation($d: ID!) { createDisplayToken(input: {name: "x", dashboardId: $d}) { token } }`, { d: o.dashboardId }],
  };
  const deletes: Record<string, (o: OrgObjects) => [string, Record<string, unknown>]> = {
    deleteFile: (o) => [`mutation($id: ID!) { deleteFile(id: $id) { id } }`, { id: o.fileId }],
    deletePlaylist: (o) => [`mutation($id: ID!) { deletePlaylist(id: $id) { id } }`, { id: o.playlistId }],
    deleteTask: (o) => [`mutation($id: ID!) { deleteTask(id: $id) { id } }`, { id: o.taskId }],
    deleteDashboard: (o) => [`mutation($id: ID!) { deleteDashboard(id: $id) { id } }`, { id: o.dashboardId }],
    deleteDatasource: (o) => [`mutation($id: ID!) { deleteDatasource(id: $id) { id } }`, { id: o.datasourceId }],
  };
  const memberAdmin: Record<string, (o: OrgObjects) => [string, Record<string, unknown>]> = {
    inviteMember: () => [`mutation { inviteMember(email: "someone@example.com", role: VIEWER) { token } }`, {}],
    revokeInvitation: (o) => [`mutation($id: ID!) { revokeInvitation(id: $id) { id } }`, { id: o.invitationId }],
    updateMemberRole: (o) => [`mutation($id: ID!) { updateMemberRole(id: $id, role: OWNER) { id } }`, { id: o.membershipId }],
    removeMember: (o) => [`mutation($id: ID!) { removeMember(id: $id) { id } }`, { id: o.membershipId }],
    renameOrganization: () => [`mutation { renameOrganization(name: "mine now") { id } }`, {}],
  };

  it.each(Object.keys({ ...contentWrites, ...deletes, ...memberAdmin }))('a viewer cannot %s', async (name) => {
    const [q, v] = ({ ...contentWrites, ...deletes, ...memberAdmin })[name]!(o);
    const r = await s.gql(q, v, viewer);
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(r.errors![0]!.message).toMatch(/viewer/);
  });

  it('a viewer reads everything of the organization', async () => {
    const r = await must(s, `query($d: ID!) { dashboard(id: $d) { name } datasources { edges { node { name } } } viewer { role organization { members { edges { node { role } } } } } }`, { d: o.dashboardId }, viewer);
    expect(r['dashboard'].name).toBe('Sales');
    expect(r['viewer'].role).toBe('VIEWER');
    expect(r['viewer'].organization.members.edges.length).toBeGreaterThanOrEqual(3);
  });

  it.each(Object.keys(memberAdmin))('an editor cannot %s', async (name) => {
    const [q, v] = memberAdmin[name]!(o);
    expect(errorCode(await s.gql(q, v, editor))).toBe('FORBIDDEN');
  });

  it.each(Object.keys(contentWrites))('an editor can %s', async (name) => {
    const [q, v] = contentWrites[name]!(o);
    const r = await s.gql(q, v, editor);
    expect(r.errors).toBeUndefined();
  });

  it('an editor cannot mint a token above their role', async () => {
    const r = await s.gql(`mutation { createApiToken(input: {name: "up", role: OWNER}) { token } }`, {}, editor);
    expect(errorCode(r)).toBe('FORBIDDEN');
  });

  it('a demoted member’s API token loses the rights with them', async () => {
    const token = (await must(s, `mutation { createApiToken(input: {name: "e"}) { token } }`, {}, editor))['createApiToken'].token;
    expect((await s.gql(`mutation { createDashboard(input: {name: "by token"}) { id } }`, {}, token)).errors).toBeUndefined();
    const members = await must(s, `{ viewer { organization { members(first: 50) { edges { node { id role user { email } } } } } } }`, {}, owner);
    const me = await must(s, `{ viewer { user { email } } }`, {}, editor);
    const row = members['viewer'].organization.members.edges.find((e: any) => e.node.user.email === me['viewer'].user.email);
    await must(s, `mutation($id: ID!) { updateMemberRole(id: $id, role: VIEWER) { role } }`, { id: row.node.id }, owner);
    expect(errorCode(await s.gql(`mutation { createDashboard(input: {name: "by token"}) { id } }`, {}, token))).toBe('FORBIDDEN');
    await must(s, `mutation($id: ID!) { updateMemberRole(id: $id, role: EDITOR) { role } }`, { id: row.node.id }, owner);
  });

  it('the last owner cannot be demoted or removed', async () => {
    const members = await must(s, `{ viewer { organization { members(first: 50) { edges { node { id role } } } } } }`, {}, owner);
    const ownerRow = members['viewer'].organization.members.edges.find((e: any) => e.node.role === 'OWNER');
    expect(errorCode(await s.gql(`mutation($id: ID!) { updateMemberRole(id: $id, role: EDITOR) { id } }`, { id: ownerRow.node.id }, owner))).toBe('LAST_OWNER');
    expect(errorCode(await s.gql(`mutation($id: ID!) { removeMember(id: $id) { id } }`, { id: ownerRow.node.id }, owner))).toBe('LAST_OWNER');
  });

  it.each(Object.keys(deletes))('an editor can %s', async (name) => {
    const [q, v] = deletes[name]!(o);
    expect((await s.gql(q, v, editor)).errors).toBeUndefined();
  });

  it('an owner manages members: removes one, who then loses access', async () => {
    const extra = await join(s, owner, 'VIEWER');
    const who = await must(s, `{ viewer { user { email } } }`, {}, extra);
    const members = await must(s, `{ viewer { organization { members(first: 50) { edges { node { id user { email } } } } } } }`, {}, owner);
    const row = members['viewer'].organization.members.edges.find((e: any) => e.node.user.email === who['viewer'].user.email);
    await must(s, `mutation($id: ID!) { removeMember(id: $id) { id } }`, { id: row.node.id }, owner);
    expect(errorCode(await s.gql(`{ viewer { role } }`, {}, extra))).toBe('UNAUTHENTICATED');
  });
});
