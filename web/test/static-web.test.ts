/** The app's files as the API serves them: SPA fallback, cache headers, no escape from the folder. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticWeb } from '../../api/server/static-web';

describe('static web serving', () => {
  let root: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sightline-web-'));
    mkdirSync(join(root, '_app/immutable/chunks'), { recursive: true });
    writeFileSync(join(root, 'index.html'), `<!doctype html><title>app</title>${'x'.repeat(2000)}`);
    writeFileSync(join(root, '_app/immutable/chunks/a.3f2c.js'), 'export const a = 1;');
    writeFileSync(join(root, 'favicon.svg'), '<svg/>');
    writeFileSync(join(tmpdir(), 'sightline-secret.txt'), 'secret');
    server = createServer(createStaticWeb(root));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  it('serves hashed assets as immutable and the rest as revalidated', async () => {
    const asset = await fetch(`${base}/_app/immutable/chunks/a.3f2c.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers app routes with index.html, compressed, never leaking the wall token as a referrer', async () => {
    for (const path of ['/', '/dashboards/RGFzaDox/edit', '/wall?token=sld_abc&rotate=100']) {
      const res = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await res.text()).toContain('<title>app</title>');
    }
  });

  it('revalidates with an etag', async () => {
    const first = await fetch(`${base}/`);
    const again = await fetch(`${base}/`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('gives 404 for a missing asset instead of the app, and never leaves its folder', async () => {
    expect((await fetch(`${base}/_app/immutable/chunks/gone.js`)).status).toBe(404);
    expect((await fetch(`${base}/missing.png`)).status).toBe(404);
    const escaped = await fetch(`${base}/..%2f..%2fsightline-secret.txt`);
    expect(await escaped.text()).not.toBe('secret');
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });
});
