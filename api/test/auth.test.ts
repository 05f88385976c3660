import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, errorCode, startTestServer, type TestServer } from './harness';

describe.each(await backends())('authentication (%s)', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(backend);
  });
  afterAll(() => s.close());

  const LOGIN = `mutation($input: LogInInput!) { logIn(input: $input) { token role user { email } organization { name } } }`;
  const VIEWER = `{ viewer { role authenticatedWith user { email } organization { name } } }`;

  it('signs up, logs in with the same password, and sees itself as owner', async () => {
    const up = await s.gql(
      `mutation { signUp(input: {email: "Ada@Example.com", password: "correct horse battery", organizationName: "Analytical Engines"}) { token role user { email } organization { name } } }`,
    );
    expect(up.errors).toBeUndefined();
    expect(up.data!['signUp']).toMatchObject({ role: 'OWNER', user: { email: 'ada@example.com' }, organization: { name: 'Analytical Engines' } });
    expect(up.data!['signUp'].token).toMatch(/^sls_/);

    const login = await s.gql(LOGIN, { input: { email: 'ada@example.com', password: 'correct horse battery' } });
    expect(login.errors).toBeUndefined();
    const me = await s.gql(VIEWER, {}, login.data!['logIn'].token);
    expect(me.data!['viewer']).toEqual({ role: 'OWNER', authenticatedWith: 'session', user: { email: 'ada@example.com' }, organization: { name: 'Analytical Engines' } });
  });

  it('refuses a duplicate email whatever its case', async () => {
    const again = await s.gql(`mutation { signUp(input: {email: "ADA@example.com", password: "another password", organizationName: "X"}) { token } }`);
    expect(errorCode(again)).toBe('EMAIL_TAKEN');
    expect(again.data).toBeNull();
  });

  it('refuses a wrong password and an unknown email with the same error', async () => {
    const wrong = await s.gql(LOGIN, { input: { email: 'ada@example.com', password: 'not the password' } });
    const unknown = await s.gql(LOGIN, { input: { email: 'nobody@example.com', password: 'whatever it is' } });
    expect(errorCode(wrong)).toBe('INVALID_CREDENTIALS');
    expect(errorCode(unknown)).toBe('INVALID_CREDENTIALS');
    expect(wrong.errors![0]!.message).toBe(unknown.errors![0]!.message);
  });

  it('requires a token, and says so', async () => {
    const r = await s.gql(VIEWER);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
    const bad = await s.gql(VIEWER, {}, 'sls_not-a-real-token');
    expect(errorCode(bad)).toBe('UNAUTHENTICATED');
    expect(bad.errors![0]!.message).toMatch(/invalid, expired or revoked/);
  });

  it('ends a session at logout', async () => {
    const { token } = await s.signUp();
    expect((await s.gql(`mutation { logOut }`, {}, token)).data).toEqual({ logOut: true });
    expect(errorCode(await s.gql(VIEWER, {}, token))).toBe('UNAUTHENTICATED');
  });

  it('authenticates API tokens with Bearer, capped at the chosen role, until revoked', async () => {
    const { token } = await s.signUp('Tokens Inc');
    const created = await s.gql(
      `mutation { createApiToken(input: {name: "ci", role: VIEWER}) { token apiToken { id name role prefix } } }`,
      {},
      token,
    );
    expect(created.errors).toBeUndefined();
    const apiToken = created.data!['createApiToken'];
    expect(apiToken.token).toMatch(/^slt_/);
    expect(apiToken.token.startsWith(apiToken.apiToken.prefix)).toBe(true);

    const me = await s.gql(VIEWER, {}, apiToken.token);
    expect(me.data!['viewer']).toMatchObject({ role: 'VIEWER', authenticatedWith: 'apiToken', organization: { name: 'Tokens Inc' } });
    // A viewer token cannot write, though its creator is an owner.
    const write = await s.gql(`mutation { createDashboard(input: {name: "x"}) { id } }`, {}, apiToken.token);
    expect(errorCode(write)).toBe('FORBIDDEN');
    // Tokens cannot log out or open sessions: those are a person's actions.
    expect(errorCode(await s.gql(`mutation { logOut }`, {}, apiToken.token))).toBe('FORBIDDEN');

    const revoked = await s.gql(`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: apiToken.apiToken.id }, token);
    expect(revoked.errors).toBeUndefined();
    expect(errorCode(await s.gql(VIEWER, {}, apiToken.token))).toBe('UNAUTHENTICATED');
  });

  it('rate-limits password guessing per account', async () => {
    const { email } = await s.signUp();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 12; i++) codes.push(errorCode(await s.gql(LOGIN, { input: { email, password: `guess number ${i}` } })));
    expect(codes.slice(0, 10).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // Even the right password is refused while the limit holds.
    expect(errorCode(await s.gql(LOGIN, { input: { email, password: 'a long password' } }))).toBe('RATE_LIMITED');
  });

  it('lets a member belong to several organizations and switch between them', async () => {
    const { token } = await s.signUp('First');
    const second = await s.gql(`mutation { createOrganization(name: "Second") { token organization { id name } role } }`, {}, token);
    expect(second.data!['createOrganization']).toMatchObject({ role: 'OWNER', organization: { name: 'Second' } });
    const orgs = await s.gql(`{ viewer { organizations { name role } } }`, {}, second.data!['createOrganization'].token);
    expect(orgs.data!['viewer'].organizations).toEqual([
      { name: 'First', role: 'OWNER' },
      { name: 'Second', role: 'OWNER' },
    ]);
  });
});
