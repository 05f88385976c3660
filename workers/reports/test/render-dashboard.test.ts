/**
 * Dashboards printed to PDF against the real platform (API from the test harness serving the
 * built web app, a SQLite datasource of known figures, a display token) with Debian's
 * Chromium; what the PDF says is read back with pdftotext and pdfinfo.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserPool, type BrowserPool } from '../browser-pool';
import { RenderError } from '../errors';
import { renderDashboard, renderDashboardPdf } from '../render-dashboard';
import type { RenderOptions } from '../render-options';
import { hasChromium } from './chromium';
import { firstPagePng, pdfInfo, pdfText } from './pdf-tools';
import { startReportPlatform, TOTAL, type ReportPlatform, type Widget } from './platform';

const runBrowser = hasChromium();
const SCREENSHOT = fileURLToPath(new URL('../../../docs/screenshots/report-page-1.png', import.meta.url));

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function renderError(options: RenderOptions, pool: BrowserPool): Promise<RenderError> {
  const err = await renderDashboardPdf(options, pool).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RenderError);
  return err as RenderError;
}

describe.runIf(runBrowser)('dashboard reports as PDF', () => {
  let p: ReportPlatform;
  let pool: BrowserPool;
  let board: { id: string; token: string };
  let base: RenderOptions;

  beforeAll(async () => {
    p = await startReportPlatform();
    pool = createBrowserPool();
    const widgets: Widget[] = [
      { id: 'total', type: 'kpi', title: 'Total sales', datasourceId: p.salesId, query: { measures: [{ agg: 'sum', field: 'amount' }] }, layout: { x: 0, y: 0, w: 3, h: 2 } },
      { id: 'archived', type: 'kpi', title: 'Archived sales', datasourceId: p.brokenId, query: { measures: [{ agg: 'count' }] }, layout: { x: 3, y: 0, w: 3, h: 2 } },
      { id: 'by-region', type: 'bar', title: 'Sales by region', datasourceId: p.salesId, query: { dimensions: ['region'], measures: [{ agg: 'sum', field: 'amount' }] }, layout: { x: 6, y: 0, w: 6, h: 4 } },
      { id: 'by-product', type: 'table', title: 'Sales by product', datasourceId: p.salesId, query: { dimensions: ['product'], measures: [{ agg: 'count' }, { agg: 'sum', field: 'amount' }] }, layout: { x: 0, y: 4, w: 6, h: 3 } },
    ];
    const regions: Widget[] = [
      { id: 'regions', type: 'table', title: 'Regions in detail', datasourceId: p.salesId, query: { dimensions: ['region'], measures: [{ agg: 'count' }] }, layout: { x: 0, y: 0, w: 12, h: 3 } },
    ];
    board = await p.dashboard('Sales board', [
      { id: 'main', title: 'Overview', widgets },
      { id: 'regions', title: 'Regions', widgets: regions },
    ]);
    base = { origin: p.server.url, dashboardId: board.id, token: board.token, tab: 'main', widgetTimeoutMs: 60_000, totalTimeoutMs: 90_000 };
  }, 300_000);
  afterAll(async () => {
    await pool?.close();
    await p?.close();
  });

  it('prints the title, the timestamp in its zone, the KPI figure and the table; a failing widget shows its error in place', async () => {
    const r = await renderDashboard({ ...base, title: 'Quarterly sales report', timestamp: '2025-03-12T08:30:00Z', timeZone: 'Europe/Paris', pageSize: 'A4', orientation: 'portrait' }, pool);

    expect(r.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.widgets).toEqual([
      { id: 'total', title: 'Total sales', state: 'done' },
      { id: 'archived', title: 'Archived sales', state: 'error' },
      { id: 'by-region', title: 'Sales by region', state: 'done' },
      { id: 'by-product', title: 'Sales by product', state: 'done' },
    ]);
    expect(r.forcedTimeout).toBe(false);
    expect(r.blocked).toEqual([]);

    const text = pdfText(r.pdf);
    expect(text).toContain('Quarterly sales report');
    expect(text).toContain('12 March 2025 at 09:30 CET');
    expect(text).toContain(TOTAL.toLocaleString('en-US'));
    for (const cell of ['Anvils', '27,013', 'Bellows', '15,200', 'Crucibles', '6,000']) expect(text).toContain(cell);
    expect(text).toContain('Sales by region');
    expect(text).toMatch(/SQLite file not found/);
    expect(text).toContain('Page 1 of 1');
    expect(text).not.toContain('Regions in detail');

    const info = pdfInfo(r.pdf);
    expect(info.sizeName).toBe('A4');
    expect(info.width).toBeCloseTo(595.3, 0);
    expect(info.height).toBeCloseTo(841.9, 0);

    // A picture of the report to look at (docs/screenshots/).
    firstPagePng(r.pdf, SCREENSHOT);
  }, 180_000);

  it('honours the page size and orientation, and prints every tab, each from a new page', async () => {
    const pdf = await renderDashboardPdf({ ...base, tab: 'all', pageSize: 'Letter', orientation: 'landscape' }, pool);
    const info = pdfInfo(pdf);
    expect(info.width).toBeCloseTo(792, 0);
    expect(info.height).toBeCloseTo(612, 0);
    expect(info.pages).toBeGreaterThanOrEqual(2);
    const text = pdfText(pdf);
    // No title given: the dashboard's own name.
    expect(text).toContain('Sales board');
    expect(text).toContain('Overview');
    expect(text).toContain('Regions in detail');
    expect(text).toMatch(new RegExp(`Page 2 of ${info.pages}`));
  }, 180_000);

  it('shows a widget that has not answered within its time as timed out, and prints the rest', async () => {
    const slow = await p.dashboard('Slow board', [
      {
        id: 't',
        title: 'Slow',
        widgets: [
          { id: 'total', type: 'kpi', title: 'Total sales', datasourceId: p.salesId, query: { measures: [{ agg: 'sum', field: 'amount' }] }, layout: { x: 0, y: 0, w: 4, h: 2 } },
          // Its database accepts the connection and never answers (the connect timeout is 10 s).
          { id: 'stuck', type: 'kpi', title: 'Warehouse stock', datasourceId: p.stuckId, query: { measures: [{ agg: 'count' }] }, layout: { x: 4, y: 0, w: 4, h: 2 } },
        ],
      },
    ]);
    // The sales figure was computed by the first test, so it comes from the result cache.
    const r = await renderDashboard({ ...base, dashboardId: slow.id, token: slow.token, tab: 't', widgetTimeoutMs: 2_000 }, pool);
    expect(r.widgets.map((w) => [w.id, w.state])).toEqual([
      ['total', 'done'],
      ['stuck', 'timeout'],
    ]);
    expect(r.forcedTimeout).toBe(false);
    const text = pdfText(r.pdf);
    expect(text).toContain(TOTAL.toLocaleString('en-US'));
    expect(text).toMatch(/Warehouse stock This widget timed out: no answer within 2 s/);
  }, 180_000);

  it('still prints when the page as a whole runs out of time: the widgets still waiting are timed out', async () => {
    const stuck = await p.dashboard('Stuck board', [
      { id: 't', title: 'Stuck', widgets: [{ id: 'stuck', type: 'kpi', title: 'Warehouse stock', datasourceId: p.stuckId, query: { measures: [{ agg: 'count' }] }, layout: { x: 0, y: 0, w: 4, h: 2 } }] },
    ]);
    const r = await renderDashboard({ ...base, dashboardId: stuck.id, token: stuck.token, tab: 'all', widgetTimeoutMs: 600_000, totalTimeoutMs: 6_000 }, pool);
    expect(r.forcedTimeout).toBe(true);
    expect(r.widgets).toEqual([{ id: 'stuck', title: 'Warehouse stock', state: 'timeout' }]);
    expect(pdfText(r.pdf)).toMatch(/Stuck board .*Warehouse stock This widget timed out/);
  }, 180_000);

  it('fails with a clear error when the page cannot load or cannot show the dashboard', async () => {
    const port = await closedPort();
    const down = await renderError({ ...base, origin: `http://127.0.0.1:${port}` }, pool);
    expect(down.code).toBe('PAGE_LOAD_FAILED');
    expect(down.message).toContain(`127.0.0.1:${port}/print`);
    expect(down.message).not.toContain(board.token);

    const badToken = await renderError({ ...base, token: 'sld_not-a-real-token' }, pool);
    expect(badToken.code).toBe('PAGE_FAILED');
    expect(badToken.message).toMatch(/display token/i);

    const noTab = await renderError({ ...base, tab: 'no-such-tab' }, pool);
    expect(noTab.code).toBe('PAGE_FAILED');
    expect(noTab.message).toContain('has no tab no-such-tab');

    const other = await p.dashboard('Another board', [{ id: 't', title: 'T', widgets: [] }]);
    const notShown = await renderError({ ...base, dashboardId: other.id }, pool);
    expect(notShown.code).toBe('PAGE_FAILED');
    expect(notShown.message).toContain(`does not show the dashboard ${other.id}`);
  }, 180_000);

  it('refuses bad options before starting, and stops when its signal aborts', async () => {
    expect((await renderError({ ...base, origin: `${p.server.url}/somewhere` }, pool)).code).toBe('INVALID_OPTIONS');
    expect((await renderError({ ...base, origin: 'file:///etc' }, pool)).code).toBe('INVALID_OPTIONS');
    const zone = await renderError({ ...base, timeZone: 'Mars/Olympus_Mons' }, pool);
    expect(zone.code).toBe('INVALID_OPTIONS');
    expect(zone.message).toContain('timeZone');
    expect((await renderError({ ...base, token: 'sls_a-session-token' }, pool)).code).toBe('INVALID_OPTIONS');

    expect((await renderError({ ...base, signal: AbortSignal.abort() }, pool)).code).toBe('ABORTED');
    const stuck = await p.dashboard('Abandoned board', [
      { id: 't', title: 'Stuck', widgets: [{ id: 'stuck', type: 'kpi', title: 'Warehouse stock', datasourceId: p.stuckId, query: { measures: [{ agg: 'count' }] }, layout: { x: 0, y: 0, w: 4, h: 2 } }] },
    ]);
    const controller = new AbortController();
    const rendering = renderDashboardPdf({ ...base, dashboardId: stuck.id, token: stuck.token, tab: 'all', signal: controller.signal }, pool);
    setTimeout(() => controller.abort(), 1_000);
    const err = await rendering.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RenderError);
    expect((err as RenderError).code).toBe('ABORTED');
  }, 180_000);

  it('reuses one browser for every render', () => {
    expect(pool.launches).toBe(1);
  });
});
