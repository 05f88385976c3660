/**
 * Dataflows end to end: a query on a SQLite datasource written into the warehouse, queried
 * back through the warehouse datasource, live queries refreshed by a new run, tenants apart.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, collect, startTestServer, wsClient, type TestServer } from './harness';
import { must } from './fixtures';
import { queryRows, RUN_QUERY, runToEnd } from './run-helpers';

describe.each(await backends())('dataflows (%s)', (backend) => {
  let s: TestServer;
  let token: string;
  let other: string;
  let sqlite: Database.Database;
  let sourceId: string;

  beforeAll(async () => {
    s = await startTestServer(backend);
    token = (await s.signUp('Flows')).token;
    other = (await s.signUp('Other')).token;
    mkdirSync(join(s.dataDir, 'sqlite'), { recursive: true });
    sqlite = new Database(join(s.dataDir, 'sqlite', 'shop.db'));
    sqlite.exec(`CREATE TABLE sales (region TEXT, amount REAL); INSERT INTO sales VALUES ('north', 10), ('north', 5), ('south', 7);`);
    sourceId = (await must(s, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name: 'Shop', kind: 'SQLITE', connection: { file: 'shop.db' }, source: { table: 'sales' } } }, token))['createDatasource'].id;
  }, 60_000);

  afterAll(async () => {
    sqlite?.close();
    await s?.close();
  });

  const byRegion = { dimensions: ['region'], measures: [{ agg: 'sum', field: 'amount' }] };

  it('writes a query result into a warehouse table that dashboards query, and refreshes live queries on the next run', async () => {
    const flow = (await must(s, `mutation($i: DataflowInput!) { createDataflow(input: $i) { id targetTable targetDatasourceId nextRunAt } }`, { i: { name: 'By region', sourceDatasourceId: sourceId, query: byRegion, targetTable: 'sales_by_region', mode: 'REPLACE' } }, token))['createDataflow'];
    expect(flow.targetDatasourceId).toBeTruthy();
    expect(flow.nextRunAt).toBeNull();

    const run = (await must(s, `mutation($id: ID!) { runDataflow(id: $id) { id status kind } }`, { id: flow.id }, token))['runDataflow'];
    expect(run.kind).toBe('DATAFLOW');
    const events = await runToEnd(s, token, run.id);
    const end = events.at(-1);
    expect(end.run).toMatchObject({ status: 'SUCCEEDED', rowsWritten: 2 });
    expect(end.run.log).toMatch(/2 rows read/);

    const total = { dimensions: ['region'], measures: [{ agg: 'sum', field: 'sum_amount', as: 'total' }] };
    expect(await queryRows(s, token, flow.targetDatasourceId, total)).toEqual([['north', 15], ['south', 7]]);

    // A live query on the table sees the next run's rows without being asked again.
    const ws = wsClient(s.url, token);
    try {
      const live = ws.subscribe(`subscription($id: ID!, $q: JSON!) { liveQuery(datasourceId: $id, query: $q) { status result { rows } } }`, { id: flow.targetDatasourceId, q: total });
      const first = await collect(live, (e: any) => e.data?.liveQuery?.status === 'DONE');
      expect((first.at(-1) as any).data.liveQuery.result.rows).toEqual([['north', 15], ['south', 7]]);
      sqlite.exec(`INSERT INTO sales VALUES ('east', 3)`);
      const again = (await must(s, `mutation($id: ID!) { runDataflow(id: $id) { id } }`, { id: flow.id }, token))['runDataflow'];
      await runToEnd(s, token, again.id);
      const next = await collect(live, (e: any) => e.data?.liveQuery?.status === 'DONE');
      expect((next.at(-1) as any).data.liveQuery.result.rows).toEqual([['east', 3], ['north', 15], ['south', 7]]);
      await live.return?.();
    } finally {
      await ws.dispose();
    }

    // Another organization sees neither the dataflow, its runs nor its table.
    expect((await s.gql(`query($id: ID!) { dataflow(id: $id) { id } }`, { id: flow.id }, other)).data?.['dataflow']).toBeNull();
    expect((await s.gql(`query($id: ID!) { run(id: $id) { id } }`, { id: run.id }, other)).data?.['run']).toBeNull();
    const foreign = await s.gql(RUN_QUERY, { id: flow.targetDatasourceId, q: total }, other);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const steal = await s.gql(`mutation($i: DataflowInput!) { createDataflow(input: $i) { id } }`, { i: { name: 'x', sourceDatasourceId: sourceId, query: byRegion, targetTable: 't' } }, other);
    expect(steal.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.sourceDatasourceId' });
  }, 120_000);

  it('reports a failing dataflow with a clear message and keeps the previous table', async () => {
    const flow = (await must(s, `mutation($i: DataflowInput!) { createDataflow(input: $i) { id targetDatasourceId } }`, { i: { name: 'Bad', sourceDatasourceId: sourceId, query: { dimensions: ['no_such_column'] }, targetTable: 'bad_table' } }, token))['createDataflow'];
    const run = (await must(s, `mutation($id: ID!) { runDataflow(id: $id) { id } }`, { id: flow.id }, token))['runDataflow'];
    const end = (await runToEnd(s, token, run.id)).at(-1);
    expect(end.run.status).toBe('FAILED');
    expect(end.run.message).toMatch(/no_such_column/);
    const history = (await must(s, `query($id: ID!) { runs(subjectId: $id) { id status } }`, { id: flow.id }, token))['runs'];
    expect(history).toEqual([{ id: run.id, status: 'FAILED' }]);
  }, 60_000);
});
