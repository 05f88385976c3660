/**
 * One Chromium per worker process, started on first use and reused across renders (starting
 * one costs more than most renders); each render gets its own incognito context, closed after,
 * so nothing — storage, cookies, a display token — outlives it. A cap on renders at once keeps
 * a burst of scheduled reports from taking every core.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { RenderError } from './errors';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

// The renderer serves the platform's documents itself (to add a CSP, origin-guard.ts); Chromium
// then treats them as public pages and would refuse their WebSocket to a private address (the
// platform on loopback or the internal network) under Local Network Access checks.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-features=LocalNetworkAccessChecks'];

export interface BrowserPoolOptions {
  /** Debian's Chromium by default (or CHROMIUM_PATH); a browser is never downloaded. */
  executablePath?: string;
  /** Renders at once; more wait their turn (default 2). */
  maxConcurrentRenders?: number;
  launchTimeoutMs?: number;
}

export interface BrowserPool {
  /** Runs `use` in a fresh incognito context, closed afterwards whatever happens. */
  withContext<T>(options: BrowserContextOptions, use: (context: BrowserContext) => Promise<T>): Promise<T>;
  /** How many times a browser was started (a crashed one is replaced on next use). */
  readonly launches: number;
  close(): Promise<void>;
}

export function createBrowserPool(options: BrowserPoolOptions = {}): BrowserPool {
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  const max = Math.max(1, options.maxConcurrentRenders ?? 2);
  let browser: Promise<Browser> | null = null;
  let launches = 0;
  let closed = false;
  let running = 0;
  const waiting: (() => void)[] = [];
  let current: Browser | null = null;

  const launch = async (): Promise<Browser> => {
    if (!existsSync(executablePath)) throw new RenderError('BROWSER_UNAVAILABLE', `Chromium is not installed at ${executablePath} (set CHROMIUM_PATH, or apt-get install chromium)`);
    launches += 1;
    try {
      const b = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: options.launchTimeoutMs ?? 30_000 });
      b.on('disconnected', () => {
        if (current === b) browser = null;
      });
      current = b;
      return b;
    } catch (err) {
      throw new RenderError('BROWSER_UNAVAILABLE', `Chromium at ${executablePath} did not start: ${(err as Error).message}`, { cause: err });
    }
  };

  const acquire = (): Promise<Browser> => {
    if (!browser) {
      browser = launch();
      browser.catch(() => (browser = null));
    }
    return browser;
  };

  const slot = async (): Promise<void> => {
    if (running < max) {
      running += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    get launches() {
      return launches;
    },
    async withContext(contextOptions, use) {
      if (closed) throw new RenderError('BROWSER_UNAVAILABLE', 'The browser pool was closed');
      await slot();
      try {
        if (closed) throw new RenderError('BROWSER_UNAVAILABLE', 'The browser pool was closed');
        const b = await acquire();
        const context = await b.newContext(contextOptions);
        try {
          return await use(context);
        } finally {
          await context.close().catch(() => undefined);
        }
      } finally {
        release();
      }
    },
    async close() {
      closed = true;
      const b = browser;
      browser = null;
      current = null;
      if (b) await (await b.catch(() => null))?.close().catch(() => undefined);
    },
  };
}

let shared: BrowserPool | null = null;

/** The process's browser, for callers that do not manage their own pool. */
export function sharedBrowserPool(): BrowserPool {
  shared ??= createBrowserPool();
  return shared;
}

export async function closeSharedBrowserPool(): Promise<void> {
  const p = shared;
  shared = null;
  await p?.close();
}
