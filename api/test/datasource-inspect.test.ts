/** Setting a datasource up: the sample, testing connections, tables, fields, formulas, SQL preview. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, type TempDatabase } from '../../testkit/services';
import { backends, errorCode, startTestServer, type TestServer } from './harness';
import { must } from './fixtures';

describe.each(await backends())('datasource set-up (%s)', (backend) => {
  let s: TestServer;
  let token: string;
  let sampleId: string;
  let warehouse: TempDatabase;

  beforeAll(async () => {
    s = await startTestServer(backend, { SAMPLE_DATASOURCE: 'true' });
    token = (await s.signUp('Setup')).token;
    const list = await must(s, `{ datasources { edges { node { id name kind } } } }`, {}, token);
    sampleId = list['datasources'].edges[0].node.id;
    warehouse = await createPgDatabase('sl_inspect');
    const c = new pg.Client({ connectionString: warehouse.url });
    await c.connect();
    await c.query(`CREATE TABLE sales (id int PRIMARY KEY, region text, amount numeric(10,2), sold_at timestamptz); CREATE VIEW big_sales AS SELECT * FROM sales WHERE amount > 100`);
    await c.end();
  }, 90_000);
  afterAll(async () => {
    await s.close();
    await warehouse.drop();
  });

  it('a new organization starts with the sample orders datasource', async () => {
    const r = await must(s, `query($id: ID!) { datasource(id: $id) { name kind source fields { columns { name type } formulas { name type aggregate error { code } } error { code } } } }`, { id: sampleId }, token);
    const ds = r['datasource'];
    expect(ds.name).toBe('Sample: orders');
    expect(ds.kind).toBe('SQLITE');
    expect(ds.fields.error).toBeNull();
    const columns = Object.fromEntries(ds.fields.columns.map((c: { name: string; type: string }) => [c.name, c.type]));
    expect(columns).toMatchObject({ order_id: 'NUMBER', order_date: 'DATE', country: 'STRING', amount: 'NUMBER', returned: 'BOOLEAN' });
    const formulas = Object.fromEntries(ds.fields.formulas.map((f: { name: string; type: string; aggregate: boolean; error: unknown }) => [f.name, f]));
    expect(formulas['margin']).toEqual({ name: 'margin', type: 'NUMBER', aggregate: false, error: null });
    expect(formulas['margin_rate']).toMatchObject({ type: 'NUMBER', aggregate: true, error: null });
  });

  it('checks a formula as saving it would, with the position of a mistake', async () => {
    const q = `query($id: ID!, $e: String!) { validateFormula(datasourceId: $id, expression: $e) { type aggregate error { code message position } } }`;
    expect((await must(s, q, { id: sampleId, e: 'SUM([amount]) / COUNT()' }, token))['validateFormula']).toMatchObject({ type: 'NUMBER', aggregate: true, error: null });
    const syntax = (await must(s, q, { id: sampleId, e: '[amount] * (2 + ' }, token))['validateFormula'];
    expect(syntax.error.code).toBe('FORMULA_SYNTAX');
    expect(syntax.error.position.start).toBeGreaterThanOrEqual(13);
    const unknown = (await must(s, q, { id: sampleId, e: '[amout] * 2' }, token))['validateFormula'];
    expect(unknown.error).toMatchObject({ code: 'UNKNOWN_FIELD', position: { start: 0, end: 7 } });
  });

  it('previews the SQL a query compiles to, values as parameters', async () => {
    const q = `query($id: ID!, $q: JSON!) { previewQuery(datasourceId: $id, query: $q) { dialect sql params columns { name type } error { code message } } }`;
    const r = (await must(s, q, { id: sampleId, q: { dimensions: ['country'], measures: [{ agg: 'sum', field: 'amount' }], filters: [{ field: 'category', op: 'eq', value: "O'Reilly; DROP TABLE orders" }] } }, token))['previewQuery'];
    expect(r.dialect).toBe('sqlite');
    expect(r.sql).not.toContain('DROP TABLE');
    expect(r.params).toContain("O'Reilly; DROP TABLE orders");
    expect(r.columns).toEqual([{ name: 'country', type: 'STRING' }, { name: 'sum_amount', type: 'NUMBER' }]);
    const bad = (await must(s, q, { id: sampleId, q: { dimensions: ['nope'] } }, token))['previewQuery'];
    expect(bad).toMatchObject({ sql: null, error: { code: 'UNKNOWN_FIELD' } });
  });

  it('tests connection settings before saving, and says why they fail', async () => {
    const q = `mutation($c: DatasourceConnectionInput!) { testConnection(input: {kind: POSTGRES, connection: $c}) { ok serverVersion error { code message } } }`;
    const ok = (await must(s, q, { c: { host: '127.0.0.1', port: 5432, database: warehouse.name, user: 'postgres', sslMode: 'DISABLE' } }, token))['testConnection'];
    expect(ok).toMatchObject({ ok: true, error: null });
    expect(ok.serverVersion).toMatch(/\d+/);
    const closed = (await must(s, q, { c: { host: '127.0.0.1', port: 1, database: 'x', user: 'postgres', password: 'hunter2-secret' } }, token))['testConnection'];
    expect(closed.ok).toBe(false);
    expect(closed.error.code).toBe('CONNECTION_FAILED');
    expect(closed.error.message).not.toContain('hunter2-secret');
  });

  it('lists the tables and views of a connected database, and a saved datasource tests itself', async () => {
    const created = await must(s, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, {
      i: { name: 'Warehouse', kind: 'POSTGRES', connection: { host: '127.0.0.1', port: 5432, database: warehouse.name, user: 'postgres', sslMode: 'DISABLE' }, source: { table: 'sales', schema: 'public' } },
    }, token);
    const id = created['createDatasource'].id;
    const r = await must(s, `query($id: ID!) { datasource(id: $id) { tables { tables { schema name kind columns { name type nativeType } } error { code } } fields { columns { name type } } } }`, { id }, token);
    const tables = r['datasource'].tables.tables.filter((t: { schema: string }) => t.schema === 'public');
    expect(tables.map((t: { name: string; kind: string }) => `${t.name}:${t.kind}`).sort()).toEqual(['big_sales:view', 'sales:table']);
    expect(r['datasource'].fields.columns).toEqual([
      { name: 'id', type: 'NUMBER' },
      { name: 'region', type: 'STRING' },
      { name: 'amount', type: 'NUMBER' },
      { name: 'sold_at', type: 'TIMESTAMP' },
    ]);
    const test = await must(s, `mutation($id: ID!) { testDatasource(id: $id) { ok } }`, { id }, token);
    expect(test['testDatasource'].ok).toBe(true);
  });

  it('a viewer may check formulas but not preview SQL or probe connections', async () => {
    const inv = await must(s, `mutation { inviteMember(email: "viewer-inspect@example.com", role: VIEWER) { token } }`, {}, token);
    const viewer = (await must(s, `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, { i: { email: 'viewer-inspect@example.com', password: 'a long password', invitationToken: inv['inviteMember'].token } }, ''))['signUp'].token;
    expect(errorCode(await s.gql(`query($id: ID!) { previewQuery(datasourceId: $id, query: {}) { sql } }`, { id: sampleId }, viewer))).toBe('FORBIDDEN');
    expect(errorCode(await s.gql(`mutation { testConnection(input: {kind: POSTGRES, connection: {host: "127.0.0.1", port: 5432, database: "postgres", user: "postgres"}}) { ok } }`, {}, viewer))).toBe('FORBIDDEN');
    expect((await s.gql(`query($id: ID!) { validateFormula(datasourceId: $id, expression: "1") { type } }`, { id: sampleId }, viewer)).errors).toBeUndefined();
  });
});
