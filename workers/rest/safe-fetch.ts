import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { compileAllowList, type AllowList } from './allowed-hosts';
import { HttpFetchError, SsrfError } from './errors';
import { assertDestinationAllowed, guardedLookup } from './guarded-lookup';
import { displayUrl, parseFetchUrl, socketHost, type FetchUrl } from './request-url';
import { systemResolver, type Resolver } from './resolver';
import { createStopSignal, stopErrorOf } from './stop-signal';

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface SafeFetchOptions {
  method?: 'GET' | 'POST';
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Header names (besides Authorization, Proxy-Authorization, Cookie) dropped when a redirect leaves the origin. */
  sensitiveHeaders?: readonly string[];
  /** The administrator's exceptions to the address block; see allowed-hosts.ts. */
  allowedHosts?: readonly string[] | AllowList;
  signal?: AbortSignal;
  /** For the whole exchange, redirects and body included; `Infinity` leaves it to `signal`. */
  timeoutMs?: number;
  /** Largest body accepted, counted as it streams in. */
  maxBytes?: number;
  maxRedirects?: number;
  /** Host name → addresses; the system resolver unless a test plays DNS. */
  lookup?: Resolver;
}

export interface SafeResponse {
  /** Where the body finally came from, after redirects. */
  url: string;
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  redirects: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ALWAYS_SENSITIVE = ['authorization', 'proxy-authorization', 'cookie'];

interface Exchange {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface ExchangeOptions {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  allowList: AllowList;
  resolver: Resolver;
  maxBytes: number;
  signal: AbortSignal;
}

/**
 * Fetches a user-supplied URL the way the server may: http(s) only, every address checked at
 * connect time against the block list (unless allowed), redirects followed by hand and checked
 * the same way, and the response bounded in time and size.
 */
export async function safeFetch(input: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const allowList = toAllowList(options.allowedHosts);
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const first = parseFetchUrl(input);
  const stop = createStopSignal({
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    what: `The request to ${first.label}`,
  });
  const sensitive = new Set([...ALWAYS_SENSITIVE, ...(options.sensitiveHeaders ?? []).map((h) => h.toLowerCase())]);
  let method: string = options.method ?? 'GET';
  let body = options.body;
  let headers = lowerCaseHeaders(options.headers ?? {});
  let target: FetchUrl = first;
  try {
    for (let redirects = 0; ; redirects += 1) {
      const response = await exchange(target, {
        method,
        headers,
        body,
        allowList,
        resolver: options.lookup ?? systemResolver,
        maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
        signal: stop.signal,
      });
      const location = response.headers.location;
      if (!REDIRECT_STATUSES.has(response.status) || typeof location !== 'string') {
        return { url: target.url.href, redirects, ...response };
      }
      if (redirects >= maxRedirects) {
        throw new SsrfError(
          'TOO_MANY_REDIRECTS',
          `${first.label} redirected more than ${maxRedirects} times (the last hop was ${displayUrl(target.url)})`,
        );
      }
      const next = parseFetchUrl(location, target.url);
      if (next.url.origin !== target.url.origin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !sensitive.has(name)));
      }
      // What browsers do: 303 always, and 301/302 after a POST, continue as a GET without body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        const { 'content-type': _dropped, ...rest } = headers;
        headers = rest;
      }
      target = next;
    }
  } finally {
    stop.dispose();
  }
}

function toAllowList(allowed: readonly string[] | AllowList | undefined): AllowList {
  if (allowed === undefined) return compileAllowList([]);
  return 'allowsHost' in allowed ? allowed : compileAllowList(allowed);
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  // Bodies are counted and parsed as they arrive; a compressed one would be neither.
  out['accept-encoding'] = 'identity';
  return out;
}

/** One request and its response, with no redirect handling. */
function exchange(target: FetchUrl, options: ExchangeOptions): Promise<Exchange> {
  const { url, label } = target;
  const host = socketHost(url);
  // An IP literal is connected to without a lookup, so it is checked here instead.
  if (isIP(host) !== 0) assertDestinationAllowed(host, [host], options.allowList, label);
  const { signal } = options;
  if (signal.aborted) return Promise.reject(stopErrorOf(signal.reason, `The request to ${label}`));

  return new Promise<Exchange>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (err: unknown): void => {
      finish(() => reject(translateError(err, label)));
      request.destroy();
    };
    const onAbort = (): void => fail(stopErrorOf(signal.reason, `The request to ${label}`));

    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request({
      host,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: options.method,
      headers: options.headers,
      // A fresh socket per request: every connection goes through the guarded lookup.
      agent: false,
      lookup: guardedLookup(options.resolver, options.allowList, label, signal),
    });
    request.on('error', fail);
    // The lookup may already have run inside `request()`, and a resolver may have aborted.
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const head = { status, statusText: response.statusMessage ?? '', headers: response.headers };
      if (REDIRECT_STATUSES.has(status) && typeof response.headers.location === 'string') {
        finish(() => resolve({ ...head, body: Buffer.alloc(0) }));
        request.destroy();
        return;
      }
      const tooLarge = (): HttpFetchError =>
        new HttpFetchError(
          'RESPONSE_TOO_LARGE',
          `The response from ${label} is larger than the limit of ${formatBytes(options.maxBytes)}; it was not read further`,
        );
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        fail(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) fail(tooLarge());
        else chunks.push(chunk);
      });
      response.on('end', () => finish(() => resolve({ ...head, body: Buffer.concat(chunks, size) })));
      response.on('error', fail);
      response.on('aborted', () => fail(new HttpFetchError('CONNECTION_FAILED', `${label} closed the connection mid-response`)));
    });
    if (options.body !== undefined) request.end(options.body);
    else request.end();
  });
}

function translateError(err: unknown, label: string): Error {
  if (err instanceof SsrfError || err instanceof HttpFetchError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const why = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
  return new HttpFetchError('CONNECTION_FAILED', `${label} could not be fetched (${why})`);
}

function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 && Number.isInteger(mb) ? `${mb} MB (${bytes} bytes)` : `${bytes} bytes`;
}
