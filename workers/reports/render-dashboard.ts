/**
 * A dashboard as a PDF: the web app's print view, opened with a display token in a guarded
 * incognito context, printed once every widget has its outcome. A slow widget does not sink
 * the report — when the page's time is up, the widgets still waiting are marked "timed out"
 * and the rest is printed; only a page that cannot load or start at all is an error.
 */
import type { Page } from 'playwright-core';
import { sharedBrowserPool, type BrowserPool } from './browser-pool';
import { RenderError, isRenderError } from './errors';
import { footerTemplate, headerTemplate } from './header-footer';
import { guardContext, guardPage, gotoOnOrigin, type BlockedRequest } from './origin-guard';
import { forceTimeout, readPrintedPage, waitForOutcome, type PageOutcome, type PrintedPage } from './page-probes';
import { pdfMargins, sheetPixels } from './paper';
import { printUrl, redactTokens, redactedPrintUrl } from './print-url';
import { resolveRenderOptions, type RenderOptions, type ResolvedRenderOptions } from './render-options';

/** After forcing late widgets to time out, how long the page may take to draw that. */
const FORCED_GRACE_MS = 10_000;
/** A hostile page could report refusals without end; the first ones tell the story. */
const MAX_BLOCKED_RECORDS = 200;

export interface RenderResult {
  pdf: Buffer;
  /** The title printed (the option, or the dashboard's name). */
  title: string;
  /** The timestamp printed, as the page wrote it. */
  timestamp: string;
  widgets: PrintedPage['widgets'];
  /** True when the page's time ran out and late widgets were forced to time out. */
  forcedTimeout: boolean;
  /** Everything the guard refused; a well-behaved dashboard leaves this empty. */
  blocked: BlockedRequest[];
}

export async function renderDashboard(options: RenderOptions, pool: BrowserPool = sharedBrowserPool()): Promise<RenderResult> {
  const o = resolveRenderOptions(options);
  const where = redactedPrintUrl(o);
  if (o.signal?.aborted) throw new RenderError('ABORTED', `The report of dashboard ${o.dashboardId} was cancelled before it started`);
  const viewport = sheetPixels(o.pageSize, o.orientation);
  try {
    return await pool.withContext(
      {
        viewport,
        // Charts are bitmaps: twice the pixels keeps them sharp on paper.
        deviceScaleFactor: 2,
        colorScheme: 'light',
        locale: o.locale,
        timezoneId: o.timeZone,
        acceptDownloads: false,
        serviceWorkers: 'block',
        javaScriptEnabled: true,
      },
      async (context) => {
        const onAbort = () => void context.close().catch(() => undefined);
        o.signal?.addEventListener('abort', onAbort, { once: true });
        // Aborted while waiting for a free render slot: the listener came too late to hear it.
        if (o.signal?.aborted) onAbort();
        try {
          const blocked: BlockedRequest[] = [];
          const record = (b: BlockedRequest) => {
            if (blocked.length < MAX_BLOCKED_RECORDS) blocked.push({ ...b, url: redactTokens(b.url) });
          };
          await guardContext(context, o.origin, record);
          const page = await context.newPage();
          guardPage(context, page, record);
          // Laid out for paper from the first paint, so charts are sized once, for the page.
          await page.emulateMedia({ media: 'print', colorScheme: 'light' });
          return await renderPage(page, o, where, blocked);
        } finally {
          o.signal?.removeEventListener('abort', onAbort);
        }
      },
    );
  } catch (err) {
    if (o.signal?.aborted) throw new RenderError('ABORTED', `The report of dashboard ${o.dashboardId} was cancelled`);
    if (isRenderError(err)) throw err;
    // Playwright's messages repeat the address, token included: only a redacted line leaves.
    throw new RenderError('PDF_FAILED', `Rendering ${where} failed: ${firstLine(err)}`);
  }
}

/** The PDF alone. */
export async function renderDashboardPdf(options: RenderOptions, pool?: BrowserPool): Promise<Buffer> {
  return (await renderDashboard(options, pool)).pdf;
}

async function renderPage(page: Page, o: ResolvedRenderOptions, where: string, blocked: BlockedRequest[]): Promise<RenderResult> {
  const started = Date.now();
  let response;
  try {
    response = await gotoOnOrigin(page, printUrl(o), o.origin, o.totalTimeoutMs);
  } catch (err) {
    if (isRenderError(err)) throw err;
    throw new RenderError('PAGE_LOAD_FAILED', `Could not open the print page ${where}: ${firstLine(err).replace(/ at https?:\/\/\S+$/, '')}`);
  }
  if (!response || !response.ok()) throw new RenderError('PAGE_LOAD_FAILED', `The print page ${where} answered HTTP ${response?.status() ?? 'nothing'}`);

  let outcome: PageOutcome = await waitForOutcome(page, o.totalTimeoutMs - (Date.now() - started));
  let forced = false;
  if (outcome.kind === 'waiting') {
    if (!(await forceTimeout(page))) throw new RenderError('PAGE_NOT_READY', `The print page ${where} did not start within ${o.totalTimeoutMs} ms`);
    forced = true;
    outcome = await waitForOutcome(page, FORCED_GRACE_MS);
    if (outcome.kind === 'waiting') throw new RenderError('PAGE_NOT_READY', `The print page ${where} did not finish drawing after its widgets were timed out`);
  }
  if (outcome.kind === 'failed') throw new RenderError('PAGE_FAILED', `The print page ${where} cannot show the dashboard: ${outcome.message}`);

  const printed = await readPrintedPage(page);
  const pdf = await page.pdf({
    format: o.pageSize,
    landscape: o.orientation === 'landscape',
    printBackground: true,
    preferCSSPageSize: true,
    margin: pdfMargins(),
    displayHeaderFooter: true,
    headerTemplate: headerTemplate(printed.title, printed.timestamp),
    footerTemplate: footerTemplate(),
  });
  return { pdf, title: printed.title, timestamp: printed.timestamp, widgets: printed.widgets, forcedTimeout: forced, blocked: [...blocked] };
}

function firstLine(err: unknown): string {
  return redactTokens(String((err as Error)?.message ?? err).split('\n')[0]!);
}
