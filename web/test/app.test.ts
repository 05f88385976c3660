/**
 * The app in a real browser against the real platform: a new user builds a dashboard whose
 * numbers match the database, a viewer cannot edit, and leaving a tab stops its slow query in
 * the database after the grace period.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { errorCode } from '../../api/test/harness';
import { must } from '../../api/test/fixtures';
import { createPgDatabase, hasService, PG_ADMIN, type TempDatabase } from '../../testkit/services';
import { eventually, hasChromium, screenshotPath, startSuite, type Suite } from './support';

const runBrowser = hasChromium();
const runPg = runBrowser && (await hasService('postgres'));

async function numbersIn(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('data-value') ?? e.getAttribute('data-kpi-value') ?? ''));
}

describe.runIf(runBrowser)('web app in a browser', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite();
  }, 240_000);
  afterAll(async () => suite?.close());

  it('a new user signs up, opens the sample, builds a KPI, a bar chart and a table that match the database, and finds them saved', async () => {
    const context = await suite.context();
    const page = await context.newPage();
    const email = `ada-${Date.now()}@example.com`;

    await page.goto('/');
    await page.waitForURL(/\/login/);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Organization').fill('Acme');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/dashboards$/);
    await expect(page.getByText('No dashboards yet.')).toBeTruthy();

    // The sample datasource: its preview shows raw rows and its tables list the orders table.
    await page.getByRole('link', { name: 'Datasources', exact: true }).click();
    await page.getByRole('link', { name: 'Sample: orders' }).click();
    await page.getByRole('heading', { name: 'Sample: orders' }).waitFor();
    await page.getByRole('region', { name: 'Preview of Sample: orders' }).locator('tbody tr').first().waitFor();
    expect(await page.getByRole('region', { name: 'Preview of Sample: orders' }).locator('tbody tr').count()).toBe(50);
    await page.getByText('orders', { exact: true }).first().waitFor();

    // A formula with a mistake is underlined where the mistake is.
    await page.getByRole('button', { name: '+ Formula' }).click();
    const expression = page.getByLabel('Expression').last();
    await expression.fill('SUM([amount]) / [nope]');
    const mark = page.locator('[data-error-span]');
    await mark.waitFor();
    expect(await mark.textContent()).toBe('[nope]');
    await expression.fill('SUM([amount]) / COUNT([order_id])');
    await page.getByText('Aggregate formula').last().waitFor();

    // A dashboard with three widgets, built in the editor.
    await page.getByRole('link', { name: 'Dashboards', exact: true }).click();
    await page.getByLabel('Name of the new dashboard').fill('Sales overview');
    await page.getByRole('button', { name: 'New dashboard' }).click();
    await page.waitForURL(/\/edit$/);

    await page.getByLabel('Add', { exact: true }).selectOption('kpi');
    await page.getByRole('button', { name: 'Add widget' }).click();
    await page.getByLabel('Widget title').fill('Orders');

    await page.getByLabel('Add', { exact: true }).selectOption('bar');
    await page.getByRole('button', { name: 'Add widget' }).click();
    await page.getByLabel('Widget title').fill('Sales by region');
    await page.getByRole('button', { name: '+ Dimension' }).click();
    await page.getByLabel('Dimension 1').selectOption('region');
    await page.getByLabel('Aggregation of value 1').selectOption('sum');
    await page.getByLabel('Field of value 1').selectOption('amount');

    await page.getByLabel('Add', { exact: true }).selectOption('table');
    await page.getByRole('button', { name: 'Add widget' }).click();
    await page.getByLabel('Widget title').fill('Orders by category');
    await page.getByRole('button', { name: '+ Dimension' }).click();
    await page.getByLabel('Dimension 1').selectOption('category');
    await page.getByRole('button', { name: 'Done' }).click();

    await page.locator('section[data-widget-type="table"][data-status="done"] td').first().waitFor({ timeout: 60_000 });
    await page.locator('section[data-widget-type="bar"][data-status="done"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-running]').first().waitFor({ state: 'detached', timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('editor-light') });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();

    // Reloaded, the dashboard is there, and its numbers are the database's.
    await page.reload();
    await page.getByRole('button', { name: 'View' }).click();
    await page.getByRole('heading', { name: 'Sales overview' }).waitFor();
    // Generous: the whole suite shares two cores with the server and other test files.
    await page.locator('section[data-widget-type="kpi"][data-status="done"]').waitFor({ timeout: 60_000 });
    await page.locator('section[data-widget-type="table"][data-status="done"] td').first().waitFor({ timeout: 60_000 });
    await page
      .locator('section[data-widget-type="bar"][data-status="done"]')
      .waitFor({ timeout: 60_000 })
      .catch(async (err) => {
        await page.screenshot({ path: screenshotPath('failure-view') });
        const bar = page.locator('section[data-widget-type="bar"]');
        throw new Error(`${err.message}\nbar widget: status=${await bar.getAttribute('data-status')} text=${await bar.innerText()}`);
      });

    const db = new Database(join(suite.server.dataDir, 'sqlite', 'sightline-sample.sqlite'), { readonly: true });
    const count = (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
    const byRegion = db.prepare('SELECT region, sum(amount) AS s FROM orders GROUP BY region ORDER BY region').all() as { region: string; s: number }[];
    const byCategory = db.prepare('SELECT category, count(*) AS n FROM orders GROUP BY category ORDER BY category').all() as { category: string; n: number }[];
    db.close();

    expect(Number((await numbersIn(page, 'section[data-widget-type="kpi"] [data-kpi-value]'))[0])).toBe(count);
    const bar = await numbersIn(page, 'section[data-widget-type="bar"] table[data-chart-data] td');
    expect(bar.filter((_, i) => i % 2 === 0)).toEqual(byRegion.map((r) => r.region));
    bar.filter((_, i) => i % 2 === 1).forEach((v, i) => expect(Number(v)).toBeCloseTo(byRegion[i]!.s, 2));
    const table = await numbersIn(page, 'section[data-widget-type="table"] td');
    expect(table.filter((_, i) => i % 2 === 0)).toEqual(byCategory.map((r) => r.category));
    expect(table.filter((_, i) => i % 2 === 1).map(Number)).toEqual(byCategory.map((r) => r.n));
    await page.screenshot({ path: screenshotPath('dashboard-light') });

    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('dashboard-dark') });
    await context.close();
  }, 180_000);

  it('a viewer sees no edit controls, and the API refuses their edits', async () => {
    const owner = await suite.server.signUp('Viewers');
    const dashId = (await must(suite.server, `mutation { createDashboard(input: {name: "Shared board"}) { id } }`, {}, owner.token))['createDashboard'].id as string;
    const invitation = (await must(suite.server, `mutation { inviteMember(email: "vic@example.com", role: VIEWER) { token } }`, {}, owner.token))['inviteMember'].token as string;

    const context = await suite.context();
    const page = await context.newPage();
    await page.goto(`/signup?invitation=${encodeURIComponent(invitation)}&email=vic@example.com`);
    await page.getByRole('heading', { name: 'Join your team on Sightline' }).waitFor();
    await page.getByLabel('Password').fill('a viewer password');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.waitForURL(/\/dashboards$/);
    await page.getByRole('link', { name: 'Shared board' }).waitFor();
    await page.getByText('viewers · viewer').waitFor();

    expect(await page.getByRole('button', { name: 'New dashboard' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit Shared board' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Shared board' }).click();
    await page.getByRole('heading', { name: 'Shared board' }).waitFor();
    expect(await page.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Open on a wall' }).count()).toBe(0);
    await page.goto(`/dashboards/${encodeURIComponent(dashId)}/edit`);
    await page.getByText('Your role can view this dashboard but not change it.').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await page.goto('/datasources');
    await page.getByRole('link', { name: 'Sample: orders' }).waitFor();
    expect(await page.getByRole('link', { name: 'Connect a datasource' }).count()).toBe(0);

    const token = await page.evaluate(() => localStorage.getItem('sightline.token'));
    const refused = await suite.server.gql(`mutation($id: ID!) { updateDashboard(id: $id, input: {name: "Mine now"}) { id } }`, { id: dashId }, token!);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    await context.close();
  }, 60_000);

  describe.runIf(runPg)('with PostgreSQL', () => {
    let warehouse: TempDatabase;
    beforeAll(async () => {
      warehouse = await createPgDatabase('sl_web');
    });
    afterAll(async () => warehouse?.drop());

    async function slowQueryRunning(): Promise<boolean> {
      const c = new pg.Client(PG_ADMIN);
      await c.connect();
      try {
        const r = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%sightline-web-slow%'`, [warehouse.name]);
        return r.rows[0].n > 0;
      } finally {
        await c.end();
      }
    }

    it('switching tabs during a slow query stops it in the database after the grace period, not before', async () => {
      const owner = await suite.server.signUp('Slow');
      const connection = { host: '127.0.0.1', port: 5432, database: warehouse.name, user: 'postgres', sslMode: 'DISABLE' };
      const slowId = (
        await must(suite.server, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name: 'Slow', kind: 'POSTGRES', connection, source: { sql: "SELECT pg_sleep(30) AS slept, 'sightline-web-slow' AS marker" } } }, owner.token)
      )['createDatasource'].id;
      const sampleId = (await must(suite.server, `{ datasources { edges { node { id name } } } }`, {}, owner.token))['datasources'].edges.find((e: { node: { name: string } }) => e.node.name === 'Sample: orders').node.id;
      const model = {
        tabs: [
          { id: 'slow', title: 'Slow tab', widgets: [{ id: 'w-slow', type: 'kpi', title: 'Slow number', datasourceId: slowId, query: { measures: [{ agg: 'count' }] }, layout: { x: 0, y: 0, w: 4, h: 2 } }] },
          { id: 'fast', title: 'Fast tab', widgets: [{ id: 'w-fast', type: 'kpi', title: 'Orders', datasourceId: sampleId, query: { measures: [{ agg: 'count' }] }, layout: { x: 0, y: 0, w: 4, h: 2 } }] },
        ],
      };
      const dashId = (await must(suite.server, `mutation($m: JSON!) { createDashboard(input: {name: "Two tabs", model: $m}) { id } }`, { m: model }, owner.token))['createDashboard'].id;

      const page = await suite.loggedIn(owner.token);
      await page.goto(`/dashboards/${encodeURIComponent(dashId)}`);
      await page.locator('[data-running]').waitFor();
      await page.getByRole('button', { name: 'Cancel the query of Slow number' }).waitFor();
      await eventually('the slow query runs in PostgreSQL', slowQueryRunning, 15_000);

      // A quick look at the other tab and back costs nothing: the query keeps running.
      await page.getByRole('tab', { name: 'Fast tab' }).click();
      await page.waitForTimeout(500);
      await page.getByRole('tab', { name: 'Slow tab' }).click();
      await page.waitForTimeout(2500);
      expect(await slowQueryRunning()).toBe(true);

      // Leaving for longer than the grace period stops it in the database.
      const left = Date.now();
      await page.getByRole('tab', { name: 'Fast tab' }).click();
      await page.locator('section[data-widget-id="w-fast"][data-status="done"]').waitFor();
      await page.waitForTimeout(1200);
      expect(await slowQueryRunning()).toBe(true);
      await eventually('the slow query is stopped after the grace period', async () => !(await slowQueryRunning()), 10_000, 100);
      const stoppedAfter = Date.now() - left;
      expect(stoppedAfter).toBeGreaterThanOrEqual(1900);
      console.log(`[web] slow query stopped ${stoppedAfter} ms after leaving its tab (grace 2000 ms)`);
      await page.context().close();
    }, 90_000);
  });
});
