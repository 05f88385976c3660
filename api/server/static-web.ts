/**
 * Serves the built web app (`web/build`) from the API's own HTTP server, so one URL is all a
 * user needs. Hashed assets under `/_app/immutable/` are cached forever; every other path that
 * is not a file gets `index.html`, where the app routes in the browser.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.webmanifest']);
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => void;

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
  gzip?: Buffer;
}

export function createStaticWeb(root: string): StaticHandler {
  const base = resolve(root);
  // Compressed copies of text files, made once per file version.
  const gzipped = new Map<string, Entry>();

  const fileAt = (urlPath: string): string | null => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (decoded.includes('\0')) return null;
    const full = normalize(join(base, decoded));
    if (full !== base && !full.startsWith(base + sep)) return null;
    try {
      return statSync(full).isFile() ? full : null;
    } catch {
      return null;
    }
  };

  const send = (req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string) => {
    const ext = extname(file).toLowerCase();
    const stat = statSync(file);
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    res.setHeader('content-type', TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('cache-control', cacheControl);
    res.setHeader('etag', etag);
    res.setHeader('x-content-type-options', 'nosniff');
    // Wall addresses carry a display token: never leak it to another site.
    res.setHeader('referrer-policy', 'no-referrer');
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (acceptsGzip && COMPRESSIBLE.has(ext) && stat.size > 1024) {
      let entry = gzipped.get(file);
      if (!entry || entry.mtimeMs !== stat.mtimeMs || entry.size !== stat.size) {
        entry = { path: file, size: stat.size, mtimeMs: stat.mtimeMs, gzip: gzipSync(readFileSync(file)) };
        gzipped.set(file, entry);
      }
      res.setHeader('content-encoding', 'gzip');
      res.setHeader('vary', 'accept-encoding');
      res.setHeader('content-length', entry.gzip!.length);
      res.end(req.method === 'HEAD' ? undefined : entry.gzip);
      return;
    }
    res.setHeader('content-length', stat.size);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('allow', 'GET, HEAD');
      res.end();
      return;
    }
    const urlPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
    const file = urlPath.endsWith('/') ? null : fileAt(urlPath);
    if (file) {
      send(req, res, file, urlPath.startsWith('/_app/immutable/') ? IMMUTABLE : REVALIDATE);
      return;
    }
    // A missing asset is a 404, not the app: a stale page asking for an old chunk must fail clearly.
    if (urlPath.startsWith('/_app/') || (extname(urlPath) !== '' && !urlPath.startsWith('/wall'))) {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('Not found');
      return;
    }
    const index = join(base, 'index.html');
    if (!existsSync(index)) {
      res.statusCode = 503;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('The web app is not built yet: run `npm run build:web` (npm start does it for you).');
      return;
    }
    send(req, res, index, REVALIDATE);
  };
}

/** Where `npm run build:web` writes the app. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/build', import.meta.url));
