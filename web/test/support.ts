/**
 * Browser tests: the real platform in-process on a free port, serving the built app, driven by
 * Debian's Chromium through playwright-core (no browser download, ever). Locally a missing
 * Chromium skips the suite with a warning; under CI=true it fails the run.
 */
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../bin/web-build';
import { startTestServer, type TestServer } from '../../api/test/harness';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const LOCK = fileURLToPath(new URL('../.build-lock', import.meta.url));

export function hasChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const why = `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`${why} (CI=true: a missing browser fails the run)`);
  console.warn(`[tests] skipping the browser suite: ${why}`);
  return false;
}

/** Builds the app once even when several test files start together (a directory as a lock). */
export async function buildOnce(): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a killed run is older than any real build.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 180_000) rmdirSync(LOCK);
      } catch {}
      if (Date.now() > deadline) throw new Error('timed out waiting for another web build');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    ensureWebBuild({ quiet: true });
  } finally {
    rmdirSync(LOCK);
  }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface Suite {
  server: TestServer;
  browser: Browser;
  /** A fresh context (own storage) at a laptop size, in English. */
  context(options?: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } }): Promise<BrowserContext>;
  /** A page already logged in with this session token. */
  loggedIn(token: string, options?: { colorScheme?: 'light' | 'dark' }): Promise<Page>;
  close(): Promise<void>;
}

export async function startSuite(env: Record<string, string> = {}): Promise<Suite> {
  await buildOnce();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startTestServer('pglite', { SAMPLE_DATASOURCE: 'true', ...env });
  const browser = await launch();
  const contexts: BrowserContext[] = [];
  const context: Suite['context'] = async (options = {}) => {
    const c = await browser.newContext({ baseURL: server.url, locale: 'en-US', timezoneId: 'UTC', viewport: options.viewport ?? { width: 1440, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
    c.setDefaultTimeout(20_000);
    contexts.push(c);
    return c;
  };
  return {
    server,
    browser,
    context,
    loggedIn: async (token, options = {}) => {
      const c = await context(options);
      await c.addInitScript((t) => {
        if (!localStorage.getItem('sightline.token')) localStorage.setItem('sightline.token', t);
      }, token);
      return c.newPage();
    },
    close: async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

export function screenshotPath(name: string): string {
  return join(SCREENSHOTS, `${name}.png`);
}

/** Waits until `check` holds, polling; fails with `what` when it never does. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out: ${what}`);
}
