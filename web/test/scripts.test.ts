/**
 * Scripts and loaded data in a browser against the real platform: a script written in the app
 * runs in a Docker sandbox and its lines appear in the log as they are printed; a CSV uploaded
 * from the datasources page is loaded by a run whose outcome the page shows, and reloads from
 * its datasource's page. Without Docker the script case skips locally and fails under CI=true
 * (dockerForTests decides); the CSV case needs no Docker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSandboxImage, dockerForTests } from '../../workers/scripts/test/docker-for-tests';
import { hasChromium, screenshotPath, startSuite, type Suite } from './support';

const runBrowser = hasChromium();
const docker = runBrowser ? await dockerForTests() : null;

// The pause makes "live" observable: the first line is on screen while the run still goes.
const SCRIPT = `console.log('first line from the script');
await new Promise((resolve) => setTimeout(resolve, 2000));
console.log('second line from the script');
console.error('a warning on stderr');
`;

const CSV = 'city;visits;day\nParis;10;2024-01-01\nLyon;4;2024-01-02\nNice;7;2024-01-03\n';

describe.runIf(runBrowser)('scripts and loaded datasources in a browser', () => {
  let suite: Suite;
  let token: string;

  beforeAll(async () => {
    if (docker) await buildSandboxImage();
    suite = await startSuite({ SAMPLE_DATASOURCE: 'false' });
    token = (await suite.server.signUp('Scripting')).token;
  }, 600_000);
  afterAll(async () => suite?.close());

  it.skipIf(!docker)('a JavaScript script prints two lines that appear live in its log, and succeeds', async () => {
    const page = await suite.loggedIn(token);
    await page.goto('/scripts');
    await page.getByText('No scripts yet.').waitFor();
    await page.getByLabel('Name of the new script').fill('Two lines');
    await page.getByLabel('Language').selectOption('JAVASCRIPT');
    await page.getByRole('button', { name: 'New script' }).click();
    await page.waitForURL(/\/scripts\/[^/]+$/);
    await page.getByRole('heading', { name: 'Two lines' }).waitFor();

    await page.getByLabel('Code').fill(SCRIPT);
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    const output = page.locator('[data-run]');
    const log = page.getByRole('log', { name: 'Run log' });
    await log.getByText('first line from the script').waitFor({ timeout: 45_000 });
    // Still running: the line came through the live stream, not from the log stored at the end.
    expect(await output.locator('[data-run-status]').getAttribute('data-run-status')).toBe('RUNNING');
    await output.locator('[data-run-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });

    const lines = await log.locator('[data-stream]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-stream')}: ${e.textContent}`));
    expect(lines).toContain('stdout: first line from the script');
    expect(lines).toContain('stdout: second line from the script');
    expect(lines).toContain('stderr: a warning on stderr');
    expect(lines.indexOf('stdout: first line from the script')).toBeLessThan(lines.indexOf('stdout: second line from the script'));

    // The run is in the history, and its stored log opens from there.
    const row = page.locator('[data-history-run]').first();
    await row.locator('[data-run-status="SUCCEEDED"]').waitFor();
    expect(await row.textContent()).toContain('by hand');
    await page.screenshot({ path: screenshotPath('scripts'), fullPage: true });
    await row.getByRole('button').click();
    await page.getByRole('log', { name: /^Log of the run started/ }).getByText('second line from the script').waitFor();
    await page.getByRole('link', { name: 'Scripts', exact: true }).click();
    await page.getByRole('link', { name: 'Two lines' }).waitFor();
  }, 90_000);

  it('a semicolon CSV uploaded from the datasources page loads, says how many rows, and reloads', async () => {
    const page = await suite.loggedIn(token);
    await page.goto('/datasources');
    await page.getByRole('button', { name: 'Upload a CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload a CSV' });
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'visits.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await dialog.getByLabel('Name').fill('Visits');
    await dialog.getByRole('button', { name: 'Upload and load' }).click();

    const message = dialog.locator('[data-run-message]');
    await message.waitFor({ timeout: 30_000 });
    expect(await dialog.locator('[data-run] [data-run-status]').getAttribute('data-run-status')).toBe('SUCCEEDED');
    expect(await message.textContent()).toMatch(/^3 rows loaded into \S+/);
    expect(await dialog.getByRole('log', { name: 'Load log' }).textContent()).toContain('delimiter ";"');

    // The datasource is listed at once, and its page shows its table, its rows and a reload.
    await dialog.getByRole('link', { name: 'Open “Visits”' }).click();
    await page.getByRole('heading', { name: 'Visits' }).waitFor();
    expect(await page.locator('[data-connection-table]').textContent()).toBeTruthy();
    await page.getByRole('region', { name: 'Preview of Visits' }).locator('tbody tr').nth(2).waitFor();
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.locator('[data-run] [data-run-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-run] [data-run-message]').textContent()).toMatch(/^3 rows loaded into /);
  }, 60_000);
});
