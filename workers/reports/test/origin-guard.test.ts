/**
 * The render context's guard, driven directly: a page of the "platform" (a small server on
 * loopback) tries every way out — fetch, image, frames, a file: frame, a WebSocket, a popup,
 * navigations to file:, another port and another host name — and a second server on another
 * port counts what reaches it: nothing does, and every attempt is recorded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createBrowserPool, type BrowserPool } from '../browser-pool';
import { RenderError } from '../errors';
import { gotoOnOrigin, guardContext, guardPage, isOnOrigin, type BlockedRequest } from '../origin-guard';
import { hasChromium } from './chromium';

const runBrowser = hasChromium();

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

describe('origins', () => {
  it('are scheme, host and port exactly', () => {
    const o = 'http://127.0.0.1:4000';
    expect(isOnOrigin('http://127.0.0.1:4000/print?token=x', o)).toBe(true);
    expect(isOnOrigin('http://127.0.0.1:4001/', o)).toBe(false);
    expect(isOnOrigin('https://127.0.0.1:4000/', o)).toBe(false);
    expect(isOnOrigin('http://localhost:4000/', o)).toBe(false);
    expect(isOnOrigin('file:///etc/passwd', o)).toBe(false);
    expect(isOnOrigin('data:text/html,hi', o)).toBe(false);
    expect(isOnOrigin('not a url', o)).toBe(false);
  });
});

describe.runIf(runBrowser)('the render context guard', () => {
  let pool: BrowserPool;
  let platform: Server;
  let outside: Server;
  let sockets: WebSocketServer;
  let origin: string;
  let other: string;
  const reached: string[] = [];

  beforeAll(async () => {
    platform = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>Platform</title><p>the platform</p>');
    });
    outside = createServer((req, res) => {
      reached.push(`http ${req.url}`);
      res.setHeader('content-type', 'text/html');
      res.end('<p>outside</p>');
    });
    sockets = new WebSocketServer({ server: outside });
    sockets.on('connection', (_s, req) => reached.push(`ws ${req.url}`));
    origin = await listen(platform);
    other = await listen(outside);
    pool = createBrowserPool();
  });
  afterAll(async () => {
    await pool?.close();
    sockets?.close();
    platform?.close();
    outside?.close();
  });

  it('lets the page reach nothing but its own origin, and records every attempt', async () => {
    const blocked: BlockedRequest[] = [];
    const leaked = await pool.withContext({ acceptDownloads: false }, async (context) => {
      await guardContext(context, origin, (b) => blocked.push(b));
      const page = await context.newPage();
      guardPage(context, page, (b) => blocked.push(b));
      await gotoOnOrigin(page, `${origin}/`, origin, 20_000);

      // What a hostile dashboard could try from inside the page.
      await page.evaluate(
        async ({ other }) => {
          const d = (globalThis as unknown as { document: { createElement(t: string): { src: string }; body: { append(e: unknown): void } } }).document;
          const w = globalThis as unknown as { fetch: (u: string) => Promise<unknown>; WebSocket: new (u: string) => unknown; open: (u: string) => unknown };
          await w.fetch(`${other}/fetch`).catch(() => undefined);
          for (const [tag, src] of [
            ['img', `${other}/image.png`],
            ['iframe', `${other}/frame`],
            ['iframe', 'file:///etc/passwd'],
          ] as const) {
            const e = d.createElement(tag);
            e.src = src;
            d.body.append(e);
          }
          try {
            new w.WebSocket(`${other.replace('http', 'ws')}/socket`);
          } catch {}
          w.open(`${other}/popup`);
        },
        { other },
      );
      const expected = [`${other}/fetch`, `${other}/image.png`, `${other}/frame`, 'file:///etc/passwd', `${other.replace('http', 'ws')}/socket`, `${other}/popup`];
      await expect.poll(() => expected.filter((u) => !blocked.some((b) => b.url.replace(/\/$/, '') === u.replace(/\/$/, '') || b.url === new URL(u).origin)), { timeout: 15_000 }).toEqual([]);

      // No frame ended up showing a local file (a refused frame stays on an error page).
      const frames = page.frames().map((f) => f.url());
      const contents = [await page.content(), ...frames];

      // Navigations the page (or a bug in the renderer) could ask for.
      const port = new URL(origin).port;
      for (const url of ['file:///etc/passwd', `${other}/goto`, `http://localhost:${port}/`]) {
        await expect(page.goto(url, { timeout: 10_000 })).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
        expect(blocked.some((b) => b.kind === 'request' && b.url.startsWith(url))).toBe(true);
      }
      return contents.join('\n');
    });

    expect(reached).toEqual([]);
    expect(leaked).not.toMatch(/root:x:0:0/);
    expect(blocked.map((b) => b.kind)).toEqual(expect.arrayContaining(['request', 'websocket', 'popup', 'csp']));
  }, 60_000);

  it('refuses to open anything off the origin itself, before asking the browser', async () => {
    await pool.withContext({}, async (context) => {
      const page = await context.newPage();
      for (const url of ['file:///etc/passwd', 'http://example.com/', 'data:text/html,hello', `${other}/`]) {
        const err = await gotoOnOrigin(page, url, origin, 5_000).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RenderError);
        expect((err as RenderError).code).toBe('OFF_ORIGIN');
      }
      expect(page.url()).toBe('about:blank');
    });
    expect(reached).toEqual([]);
  });
});
