import type { AllowList } from './allowed-hosts';
import { HttpFetchError, redactSecrets, RestSourceError, SsrfError } from './errors';
import { flattenRecord, type FlatValue } from './flatten-record';
import { buildWarehouseTable, type WarehouseTable } from './infer-columns';
import { describeJson, valueAtPath, type Json } from './json-path';
import { createPager } from './pager';
import { displayUrl } from './request-url';
import type { Resolver } from './resolver';
import { parseRestSource, parseSecretHeaders, type RestSource, type RestSourceInput } from './rest-source';
import { safeFetch, type SafeResponse } from './safe-fetch';
import { createStopSignal } from './stop-signal';

export const DEFAULT_FETCH_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_ROWS = 1_000_000;
const EXCERPT_CHARS = 200;

export interface FetchRestRowsOptions {
  /** Already decrypted; sent only to the source URL's own origin, and never put in a message. */
  secretHeaders?: Readonly<Record<string, string>>;
  /** The administrator's exceptions to the address block (`REST_ALLOWED_HOSTS`). */
  allowedHosts?: readonly string[] | AllowList;
  signal?: AbortSignal;
  /** For the whole fetch, every page included. */
  timeoutMs?: number;
  /** Largest body accepted for each page. */
  maxBytes?: number;
  /** More rows than this in total fail the fetch rather than load part of the data. */
  maxRows?: number;
  /** Host name → addresses, for tests; the system resolver otherwise. */
  lookup?: Resolver;
}

export interface RestRows extends WarehouseTable {
  pages: number;
  /** True when paging stopped because `maxPages` pages were read, not because the API said so. */
  reachedMaxPages: boolean;
}

/**
 * Fetches every page of a REST/JSON source through the address guard and returns its rows as
 * a typed table. Errors are `RestSourceError`, `SsrfError` or `HttpFetchError`, each with a
 * code; their messages never contain a secret header's value.
 */
export async function fetchRestRows(input: RestSourceInput, options: FetchRestRowsOptions = {}): Promise<RestRows> {
  const source = parseRestSource(input);
  const secretHeaders = parseSecretHeaders(options.secretHeaders ?? {});
  const secrets = secretTexts(secretHeaders);
  try {
    return await fetchPages(source, secretHeaders, options);
  } catch (err) {
    if (err instanceof RestSourceError || err instanceof SsrfError || err instanceof HttpFetchError) {
      err.message = redactSecrets(err.message, secrets);
    }
    throw err;
  }
}

async function fetchPages(
  source: RestSource,
  secretHeaders: Record<string, string>,
  options: FetchRestRowsOptions,
): Promise<RestRows> {
  const sourceOrigin = new URL(source.url).origin;
  const shown = displayUrl(new URL(source.url));
  const paged = source.pagination.kind !== 'none';
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  let pageNumber = 1;
  const onPage = (): string => (paged ? ` (page ${pageNumber})` : '');
  const stop = createStopSignal({
    signal: options.signal,
    timeoutMs,
    what: `Fetching ${shown}`,
    timeoutMessage: () => `Fetching ${shown} took longer than its limit of ${timeoutMs} ms${onPage()}`,
  });

  const pager = createPager(source);
  const records: Map<string, FlatValue>[] = [];
  let url: string | undefined = pager.firstUrl;
  let pages = 0;
  try {
    while (url !== undefined) {
      if (pages >= source.maxPages) return { ...buildWarehouseTable(records), pages, reachedMaxPages: true };
      pageNumber = pages + 1;
      const response: SafeResponse = await safeFetch(url, {
        method: source.method,
        headers: {
          accept: 'application/json',
          'user-agent': 'Sightline',
          ...(source.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...source.headers,
          // A Link header may point anywhere; the credentials are for the configured API only.
          ...(new URL(url).origin === sourceOrigin ? secretHeaders : {}),
        },
        ...(source.body !== undefined ? { body: source.body } : {}),
        sensitiveHeaders: Object.keys(secretHeaders),
        ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
        ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
        signal: stop.signal,
        timeoutMs: Infinity,
      });
      pages += 1;
      const where = `${source.method} ${displayUrl(new URL(response.url))}${onPage()}`;
      const body = jsonBodyOf(response, where);
      const rows = rowsOf(body, source.rowsPath, where);
      if (records.length + rows.length > maxRows) {
        throw new RestSourceError('TOO_MANY_ROWS', `${shown} returned more than ${maxRows} rows${onPage()}, the most one fetch loads`);
      }
      for (const row of rows) records.push(flattenRecord(row));
      url = pager.next({ url: response.url, headers: response.headers, body, rowCount: rows.length });
    }
  } finally {
    stop.dispose();
  }
  return { ...buildWarehouseTable(records), pages, reachedMaxPages: false };
}

function jsonBodyOf(response: SafeResponse, where: string): Json {
  const text = response.body.toString('utf8').replace(/^\uFEFF/, '');
  if (response.status < 200 || response.status > 299) {
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new RestSourceError('HTTP_STATUS', `${where} answered ${status}${text.trim() ? `: ${excerpt(text)}` : ''}`);
  }
  const type = response.headers['content-type'] ?? 'no content type';
  if (text.trim() === '') throw new RestSourceError('NOT_JSON', `${where} answered with an empty body (${type}), not JSON`);
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new RestSourceError('NOT_JSON', `${where} did not answer with JSON (${type}): ${excerpt(text)}`);
  }
}

function rowsOf(body: Json, rowsPath: string, where: string): Json[] {
  const found = valueAtPath(body, rowsPath);
  if (!found.found) {
    throw new RestSourceError('ROWS_NOT_ARRAY', `The response of ${where} has no rows at rowsPath "${rowsPath}": ${found.missing}`);
  }
  if (Array.isArray(found.value)) return found.value;
  const at = rowsPath === '' ? 'The response body' : `rowsPath "${rowsPath}"`;
  const hint = rowsPath === '' ? '; set rowsPath to the key that holds the rows' : '';
  throw new RestSourceError(
    'ROWS_NOT_ARRAY',
    `${at} of ${where} holds ${describeJson(found.value)}, not an array of rows${hint}`,
  );
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/** The values to hide from messages: each secret header, and the token inside "Bearer <token>". */
function secretTexts(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const value of Object.values(headers)) {
    out.push(value);
    for (const part of value.split(/\s+/)) if (part.length >= 8) out.push(part);
  }
  return out;
}
