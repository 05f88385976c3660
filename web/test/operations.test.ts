/** The operations page: an owner sees a running query in its queue and cancels it there. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../api/test/fixtures';
import { createPgDatabase, hasService, PG_ADMIN, type TempDatabase } from '../../testkit/services';
import { eventually, hasChromium, startSuite, type Suite } from './support';

const run = hasChromium() && (await hasService('postgres'));

async function sleeping(marker: string): Promise<boolean> {
  const c = new pg.Client(PG_ADMIN);
  await c.connect();
  try {
    const r = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`, [`%${marker}%`]);
    return r.rows[0].n > 0;
  } finally {
    await c.end();
  }
}

describe.runIf(run)('operations page', () => {
  let suite: Suite;
  let warehouse: TempDatabase;
  beforeAll(async () => {
    suite = await startSuite({ SAMPLE_DATASOURCE: 'false' });
    warehouse = await createPgDatabase('sl_ops_web');
  }, 240_000);
  afterAll(async () => {
    await suite?.close();
    await warehouse?.drop();
  });

  it('shows the running job with its queue and cancels it in the database', async () => {
    const { token } = await suite.server.signUp('Operators');
    const ds = await must(suite.server, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, {
      i: { name: 'Slow warehouse', kind: 'POSTGRES', connection: { host: '127.0.0.1', port: 5432, database: warehouse.name, user: 'postgres' }, source: { sql: "SELECT pg_sleep(60) AS s, 'ops-page-marker' AS marker" } },
    }, token);
    await must(suite.server, `mutation($id: ID!) { runQuery(datasourceId: $id, query: {dimensions: ["marker"]}) { id } }`, { id: ds['createDatasource'].id }, token);
    await eventually('the slow query runs', () => sleeping('ops-page-marker'), 30_000);

    const page = await suite.loggedIn(token);
    await page.goto('/operations');
    const row = page.locator('[data-job]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Slow warehouse');
    expect(await page.locator('[data-queue="queries"]').textContent()).toContain('Operators: 1 running');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('[data-no-jobs]').waitFor({ timeout: 20_000 });
    await eventually('the database query stops', async () => !(await sleeping('ops-page-marker')), 5_000);
  });
});
