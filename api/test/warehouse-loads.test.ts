/**
 * Data into the warehouse through the API: CSV uploads detected, loaded, reloaded with other
 * types, failing without losing the previous table; REST sources through the address guard;
 * tables written by clients. Every load is a run, and queries see the new data.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './harness';
import { must } from './fixtures';
import { queryRows, runToEnd } from './run-helpers';
import { uploadFile } from './upload-client';

const CREATE_FILE_DS = `mutation($i: FileDatasourceInput!) { createFileDatasource(input: $i) { datasource { id kind } run { id status } } }`;
const FIELDS = `query($id: ID!) { datasource(id: $id) { fields { columns { name type } } } }`;

describe.each(await backends())('warehouse loads (%s)', (backend) => {
  let s: TestServer;
  let token: string;
  let api: Server;
  let apiUrl: string;
  const seenAuth: string[] = [];

  beforeAll(async () => {
    api = createServer((req, res) => {
      seenAuth.push(String(req.headers['x-api-key'] ?? ''));
      const page = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? '1');
      const items = page === 1 ? [{ id: 1, city: { name: 'Paris' }, visits: 10, at: '2024-01-02T10:00:00Z' }, { id: 2, city: { name: 'Lyon' }, visits: 4, at: '2024-01-03T10:00:00Z' }] : page === 2 ? [{ id: 3, city: { name: 'Nice' }, visits: 7, at: '2024-01-04T10:00:00Z' }] : [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { items } }));
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    s = await startTestServer(backend, { REST_ALLOWED_HOSTS: '127.0.0.1' });
    token = (await s.signUp('Loads')).token;
  }, 60_000);

  afterAll(async () => {
    await s?.close();
    await new Promise((r) => api.close(r));
  });

  it('loads a CSV with a BOM, semicolons, quotes and embedded newlines, and keeps the old table when a new file fails', async () => {
    const csv = '\uFEFFregion;amount;note;day\r\nnorth;10;"said ""hi""";2024-01-01\r\nsouth;5;"two\nlines";2024-01-02\r\n"east; coast";7;;2024-01-03\r\n';
    const up = await uploadFile(s.url, token, 'sales.csv', csv);
    expect(up.status).toBe(200);
    expect(up.body.data!.uploadFile).toMatchObject({ name: 'sales.csv', size: Buffer.byteLength(csv) });
    const created = (await must(s, CREATE_FILE_DS, { i: { name: 'Sales file', fileId: up.body.data!.uploadFile.id } }, token))['createFileDatasource'];
    const events = await runToEnd(s, token, created.run.id);
    const end = events.at(-1);
    expect(end.run).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 3 });
    expect(end.run.log).toContain('delimiter ";"');
    const id = created.datasource.id;
    const cols = (await must(s, FIELDS, { id }, token))['datasource'].fields.columns;
    expect(cols).toEqual([{ name: 'region', type: 'STRING' }, { name: 'amount', type: 'NUMBER' }, { name: 'note', type: 'STRING' }, { name: 'day', type: 'DATE' }]);
    const raw = { dimensions: [], measures: [], limit: 10, orderBy: [{ field: 'region' }] };
    expect(await queryRows(s, token, id, raw)).toEqual([
      ['east; coast', 7, null, '2024-01-03'],
      ['north', 10, 'said "hi"', '2024-01-01'],
      ['south', 5, 'two\nlines', '2024-01-02'],
    ]);

    // A new file with a bad value on its fourth line: the run says where, the old rows stay.
    const bad = await uploadFile(s.url, token, 'bad.csv', 'region;amount;note;day\nwest;1;x;2024-01-01\nwest;2;y;2024-01-02\nwest;abc;z;2024-01-03\n');
    const run = (await must(s, `mutation($d: ID!, $f: ID!) { loadFile(datasourceId: $d, fileId: $f, columns: [{name: "region", type: TEXT}, {name: "amount", type: BIGINT}, {name: "note", type: TEXT}, {name: "day", type: DATE}]) { id } }`, { d: id, f: bad.body.data!.uploadFile.id }, token))['loadFile'];
    const failed = (await runToEnd(s, token, run.id)).at(-1);
    expect(failed.run.status).toBe('FAILED');
    expect(failed.run.message).toMatch(/line 4, column 2 \("amount"\): "abc" is not/);
    expect((await queryRows(s, token, id, raw)).map((r) => r[0])).toEqual(['east; coast', 'north', 'south']);

    // The user overrides a type: amount as text.
    const again = (await must(s, `mutation($d: ID!) { loadFile(datasourceId: $d, columns: [{name: "region", type: TEXT}, {name: "amount", type: TEXT}, {name: "note", type: TEXT}, {name: "day", type: DATE}]) { id } }`, { d: id }, token))['loadFile'];
    expect((await runToEnd(s, token, again.id)).at(-1).run.status).toBe('SUCCEEDED');
    expect((await must(s, FIELDS, { id }, token))['datasource'].fields.columns[1]).toEqual({ name: 'amount', type: 'STRING' });
  }, 120_000);

  it('refuses uploads without a signed-in editor', async () => {
    const anonymous = await uploadFile(s.url, null, 'x.csv', 'a\n1\n');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('loads a paged REST source with a secret header, and refuses addresses an administrator did not allow', async () => {
    const created = (await must(s, `mutation($i: RestDatasourceInput!) { createRestDatasource(input: $i) { datasource { id } run { id } } }`, {
      i: { name: 'Visits', url: `${apiUrl}/visits`, rowsPath: 'data.items', pagination: { kind: 'page', pageParam: 'page' }, secretHeaders: { 'X-Api-Key': 'k-123' } },
    }, token))['createRestDatasource'];
    const end = (await runToEnd(s, token, created.run.id)).at(-1);
    expect(end.run).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 3 });
    expect(seenAuth).toContain('k-123');
    const rows = await queryRows(s, token, created.datasource.id, { dimensions: ['city.name'], measures: [{ agg: 'sum', field: 'visits', as: 'visits' }] });
    expect(rows).toEqual([['Lyon', 4], ['Nice', 7], ['Paris', 10]]);
    const secretShown = await s.gql(`query($id: ID!) { datasource(id: $id) { connection { host } } }`, { id: created.datasource.id }, token);
    expect(JSON.stringify(secretShown)).not.toContain('k-123');

    // Changed later: another rows path; the secret stays unless given again.
    const changed = (await must(s, `mutation($id: ID!, $i: RestDatasourceInput!) { updateRestDatasource(id: $id, input: $i) { datasource { connection { url } } run { id } } }`, {
      id: created.datasource.id,
      i: { url: `${apiUrl}/visits?v=2`, pagination: { kind: 'none' } },
    }, token))['updateRestDatasource'];
    expect(changed.datasource.connection.url).toBe(`${apiUrl}/visits?v=2`);
    const reloaded = (await runToEnd(s, token, changed.run.id)).at(-1);
    expect(reloaded.run).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2 });
    expect(seenAuth.at(-1)).toBe('k-123');

    for (const url of [`http://127.0.0.2:${new URL(apiUrl).port}/x`, 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:127.0.0.2]/']) {
      const blocked = (await must(s, `mutation($i: RestDatasourceInput!) { createRestDatasource(input: $i) { run { id } } }`, { i: { name: 'Probe', url } }, token))['createRestDatasource'];
      const r = (await runToEnd(s, token, blocked.run.id)).at(-1);
      expect(r.run.status).toBe('FAILED');
      expect(r.run.message).toMatch(/loopback|link-local|REST_ALLOWED_HOSTS/);
    }
    const scheme = await s.gql(`mutation($i: RestDatasourceInput!) { createRestDatasource(input: $i) { run { id } } }`, { i: { name: 'File', url: 'file:///etc/passwd' } }, token);
    expect(scheme.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
  }, 120_000);

  it('writes a table for a client and answers once its rows are queryable', async () => {
    const w = (await must(s, `mutation($i: WriteTableInput!) { writeWarehouseTable(input: $i) { datasource { id kind } run { status rowsWritten } } }`, {
      i: { table: 'scores', columns: [{ name: 'team', type: 'TEXT' }, { name: 'score', type: 'BIGINT' }], rows: [['a', 3], ['b', 5]] },
    }, token))['writeWarehouseTable'];
    expect(w.run).toEqual({ status: 'SUCCEEDED', rowsWritten: 2 });
    expect(await queryRows(s, token, w.datasource.id, { dimensions: ['team'], measures: [{ agg: 'sum', field: 'score', as: 's' }] })).toEqual([['a', 3], ['b', 5]]);
    const wrong = await s.gql(`mutation($i: WriteTableInput!) { writeWarehouseTable(input: $i) { run { status } } }`, { i: { table: 'scores', columns: [{ name: 'team', type: 'TEXT' }], rows: [['a']], mode: 'APPEND' } }, token);
    expect(wrong.errors?.[0]?.message).toMatch(/cannot append to "scores"/);
  }, 60_000);
});
