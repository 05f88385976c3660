/**
 * What the renderer reads from the print view (web/src/lib/print/ready-signal.ts). The
 * functions run in the page; the workers are compiled without DOM types, so the little of the
 * DOM they touch is described here. They are passed as functions, never strings: the page's
 * CSP forbids eval, and Playwright would need it for a string predicate.
 */
import type { Page } from 'playwright-core';

interface PageElement {
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
}
interface PageGlobals {
  document: { body: PageElement | null; querySelector(s: string): PageElement | null; querySelectorAll(s: string): Iterable<PageElement> };
  __sightlineForceTimeout?: () => void;
}

export type PageOutcome = { kind: 'ready' } | { kind: 'failed'; message: string } | { kind: 'waiting' };

export async function waitForOutcome(page: Page, timeoutMs: number): Promise<PageOutcome> {
  try {
    await page.waitForFunction(
      () => {
        const body = (globalThis as unknown as PageGlobals).document.body;
        return !!body && (body.dataset['ready'] === 'true' || body.dataset['printError'] !== undefined);
      },
      undefined,
      { timeout: Math.max(1, timeoutMs), polling: 100 },
    );
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return { kind: 'waiting' };
    throw err;
  }
  return readOutcome(page);
}

export async function readOutcome(page: Page): Promise<PageOutcome> {
  const r = await page.evaluate(() => {
    const body = (globalThis as unknown as PageGlobals).document.body;
    return { ready: body?.dataset['ready'] === 'true', error: body?.dataset['printError'] ?? null };
  });
  if (r.error !== null) return { kind: 'failed', message: r.error };
  return r.ready ? { kind: 'ready' } : { kind: 'waiting' };
}

/** Gives up on late widgets; false when the page never installed the handle (it did not start). */
export async function forceTimeout(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const force = (globalThis as unknown as PageGlobals).__sightlineForceTimeout;
    if (typeof force !== 'function') return false;
    force();
    return true;
  });
}

export type WidgetOutcome = 'done' | 'error' | 'timeout' | 'pending';

export interface PrintedPage {
  title: string;
  timestamp: string;
  widgets: { id: string; title: string; state: WidgetOutcome }[];
}

export async function readPrintedPage(page: Page): Promise<PrintedPage> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as PageGlobals).document;
    const view = d.querySelector('[data-print-title]');
    return {
      title: view?.getAttribute('data-print-title') ?? '',
      timestamp: view?.getAttribute('data-print-timestamp') ?? '',
      widgets: [...d.querySelectorAll('[data-widget-state]')].map((cell) => {
        const widget = cell.querySelector('[data-widget-id]');
        return { id: widget?.getAttribute('data-widget-id') ?? '', title: widget?.getAttribute('aria-label') ?? '', state: cell.getAttribute('data-widget-state') as WidgetOutcome };
      }),
    };
  });
}
