/** Bad input of every kind gets a clear, typed error, never a stack trace, and changes nothing. */
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../graphql/ids';
import { backends, errorCode, startTestServer, type GqlResult, type TestServer } from './harness';
import { must } from './fixtures';

function expectClean(r: GqlResult) {
  const text = JSON.stringify(r.errors);
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/); // stack frames
  expect(text).not.toMatch(/stacktrace|originalError|SELECT |INSERT |syntax for type/i);
}

describe.each(await backends())('bad input (%s)', (backend) => {
  let s: TestServer;
  let token: string;

  beforeAll(async () => {
    s = await startTestServer(backend);
    token = (await s.signUp('Bad Inputs')).token;
  });
  afterAll(() => s.close());

  it.each([
    ['not base64 at all', 'not an id!'],
    ['base64 of garbage', Buffer.from('garbage').toString('base64url')],
    ['a type without a uuid', Buffer.from('Dashboard:42').toString('base64url')],
    ['an empty string', ''],
    ['a huge string', 'A'.repeat(10_000)],
  ])('a malformed id (%s) is BAD_USER_INPUT naming the argument', async (_label, id) => {
    const r = await s.gql(`mutation($id: ID!) { deleteDashboard(id: $id) { id } }`, { id }, token);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toMatch(/^id: /);
    expectClean(r);
  });

  it('an id of the wrong type is BAD_USER_INPUT', async () => {
    const r = await s.gql(`mutation($id: ID!) { deleteDashboard(id: $id) { id } }`, { id: encodeGlobalId('Task', '01234567-89ab-7def-8123-456789abcdef') }, token);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toMatch(/Dashboard/);
  });

  it('a well-formed id that names nothing is NOT_FOUND', async () => {
    const r = await s.gql(`mutation($id: ID!) { deleteDashboard(id: $id) { id } }`, { id: encodeGlobalId('Dashboard', '01234567-89ab-7def-8123-456789abcdef') }, token);
    expect(errorCode(r)).toBe('NOT_FOUND');
  });

  it('a value of the wrong GraphQL type is rejected before execution', async () => {
    const r = await s.gql(`mutation($n: Int!) { createDashboard(input: {name: $n}) { id } }`, { n: 5 }, token);
    expect(errorCode(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    const v = await s.gql(`mutation($i: CreateDashboardInput!) { createDashboard(input: $i) { id } }`, { i: { name: 42 } }, token);
    expect(errorCode(v)).toBe('BAD_USER_INPUT');
    expect(v.errors![0]!.message).toMatch(/name/);
  });

  it('a syntax error is GRAPHQL_PARSE_FAILED with its position', async () => {
    const r = await s.gql(`{ viewer { role `, {}, token);
    expect(errorCode(r)).toBe('GRAPHQL_PARSE_FAILED');
    expect(r.errors![0]!.message).toMatch(/Syntax Error/);
  });

  it('an unknown field is refused without suggesting real names', async () => {
    const r = await s.gql(`{ viewer { rol } }`, {}, token);
    expect(errorCode(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  it('a deeply nested query is refused', async () => {
    let inner = 'name';
    for (let i = 0; i < 30; i++) inner = `ofType { ${inner} }`;
    const r = await s.gql(`{ __schema { types { fields { type { ${inner} } } } } }`, {}, token);
    expect(r.data ?? null).toBeNull();
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toMatch(/depth/i);
  });

  it('the full introspection query GraphiQL sends stays within the limits', async () => {
    const r = await s.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), {}, token);
    expect(r.errors).toBeUndefined();
    expect(r.data!['__schema'].types.length).toBeGreaterThan(20);
  });

  it('a query with hundreds of aliases is refused', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: viewer { role }`).join(' ');
    const r = await s.gql(`{ ${aliases} }`, {}, token);
    expect(r.data ?? null).toBeNull();
    expect(r.errors![0]!.message).toMatch(/alias/i);
  });

  it('an oversized body is refused with 413 before it is parsed', async () => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ viewer { role } }`, variables: { pad: 'x'.repeat(2_000_000) } }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a body that is not JSON gets a 400 with a message', async () => {
    const res = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].message).toBeTruthy();
  });

  it.each([
    ['an empty name', `mutation { createDashboard(input: {name: "   "}) { id } }`, 'input.name'],
    ['a model without tabs', `mutation { createDashboard(input: {name: "x", model: {tabs: []}}) { id } }`, 'input.model.tabs'],
    ['a widget of an unknown type', `mutation { createDashboard(input: {name: "x", model: {tabs: [{id: "t", title: "t", widgets: [{id: "w", type: "radar", layout: {x: 0, y: 0, w: 1, h: 1}}]}]}}) { id } }`, 'input.model.tabs.0.widgets.0.type'],
    ['an unknown key in the model', `mutation { createDashboard(input: {name: "x", model: {tabs: [{id: "t", title: "t", widgets: []}], colour: "red"}}) { id } }`, 'input.model'],
    ['a bad cron expression', `mutation { createTask(input: {name: "x", schedule: "every tuesday"}) { id } }`, 'input.schedule'],
    ['an unknown time zone', `mutation { createTask(input: {name: "x", timezone: "Mars/Olympus"}) { id } }`, 'input.timezone'],
    ['a URL as host', `mutation { createDatasource(input: {name: "x", kind: POSTGRES, connection: {host: "postgres://u:p@h/db", port: 5432, database: "d", user: "u"}, source: {table: "t"}}) { id } }`, 'input.connection.host'],
    ['a SQLite path outside the data folder', `mutation { createDatasource(input: {name: "x", kind: SQLITE, connection: {file: "../../etc/passwd"}, source: {table: "t"}}) { id } }`, 'input.connection.file'],
    ['an absolute SQLite path', `mutation { createDatasource(input: {name: "x", kind: SQLITE, connection: {file: "/etc/passwd"}, source: {table: "t"}}) { id } }`, 'input.connection.file'],
    ['both table and sql', `mutation { createDatasource(input: {name: "x", kind: SQLITE, connection: {file: "a.db"}, source: {table: "t", sql: "select 1"}}) { id } }`, 'input.source'],
    ['a formula name with brackets', `mutation { createDatasource(input: {name: "x", kind: SQLITE, connection: {file: "a.db"}, source: {table: "t"}, formulas: [{name: "a]b", expression: "1"}]}) { id } }`, 'input.formulas.0.name'],
    ['a port out of range', `mutation { createDatasource(input: {name: "x", kind: MYSQL, connection: {host: "h", port: 70000, database: "d", user: "u"}, source: {table: "t"}}) { id } }`, 'input.connection.port'],
    ['a page size over the maximum', `{ dashboards(first: 1000) { edges { node { id } } } }`, 'first'],
    ['a negative page size', `{ dashboards(first: -1) { edges { node { id } } } }`, 'first'],
    ['a cursor that was never issued', `{ dashboards(after: "bm90LWEtY3Vyc29y") { edges { node { id } } } }`, 'after'],
    ['a short password', `mutation { signUp(input: {email: "short@example.com", password: "abc", organizationName: "x"}) { token } }`, 'input.password'],
    ['an invalid email', `mutation { signUp(input: {email: "not-an-email", password: "a long password", organizationName: "x"}) { token } }`, 'input.email'],
  ])('%s is BAD_USER_INPUT naming where', async (_label, query, field) => {
    const r = await s.gql(query, {}, token);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message.startsWith(`${field}: `), r.errors![0]!.message).toBe(true);
    expect(r.data ?? null).toBeNull();
    expectClean(r);
  });

  it('nothing was created by any of the refused requests', async () => {
    const r = await must(s, `{ dashboards { edges { node { id } } } datasources { edges { node { id } } } tasks { edges { node { id } } } }`, {}, token);
    expect(r['dashboards'].edges).toEqual([]);
    expect(r['datasources'].edges).toEqual([]);
    expect(r['tasks'].edges).toEqual([]);
  });
});
