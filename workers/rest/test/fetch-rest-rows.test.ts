import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFetchError, RestSourceError, SsrfError } from '../errors';
import { fetchRestRows, type FetchRestRowsOptions } from '../fetch-rest-rows';
import type { RestSourceInput } from '../rest-source';
import { sendJson, startTestServer, type TestServer } from './http-test-server';

const PEOPLE = [
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Grace' },
  { id: 3, name: 'Edsger' },
  { id: 4, name: 'Barbara' },
  { id: 5, name: 'Donald' },
];
const SECRET = 'Bearer tok_9f8e7d6c5b4a';

let api: TestServer;
const reach: FetchRestRowsOptions = { allowedHosts: ['127.0.0.1'] };

beforeAll(async () => {
  api = await startTestServer((req, res) => {
    const url = new URL(req.url, 'http://test');
    const q = url.searchParams;
    switch (url.pathname) {
      case '/wrapped':
        return sendJson(res, { meta: { total: 2 }, data: { items: PEOPLE.slice(0, 2) } });
      case '/paged': {
        const page = Number(q.get('page'));
        const size = Number(q.get('per_page') ?? 2);
        return sendJson(res, { results: PEOPLE.slice((page - 1) * size, page * size) });
      }
      case '/offset': {
        const offset = Number(q.get('skip'));
        return sendJson(res, PEOPLE.slice(offset, offset + Number(q.get('take'))));
      }
      case '/cursor': {
        const at = q.has('after') ? Number(q.get('after')) : 0;
        const rows = PEOPLE.slice(at, at + 2);
        const next = at + 2 < PEOPLE.length ? String(at + 2) : null;
        return sendJson(res, { rows, paging: { next } });
      }
      case '/cursor-stuck':
        return sendJson(res, { rows: [PEOPLE[0]], paging: { next: 'same' } });
      case '/linked': {
        const at = Number(q.get('from') ?? 0);
        const headers: Record<string, string> = {};
        if (at + 2 < PEOPLE.length) {
          headers.link = `</linked?from=0>; rel="first", </linked?from=${at + 2}>; rel="next"`;
        }
        return sendJson(res, PEOPLE.slice(at, at + 2), 200, headers);
      }
      case '/endless':
        return sendJson(res, [{ n: Number(q.get('page')) }]);
      case '/private':
        if (req.headers.authorization !== SECRET) return sendJson(res, { error: 'unauthorized' }, 401);
        return sendJson(res, [{ ok: true }]);
      case '/private-broken':
        res.writeHead(500, { 'content-type': 'text/plain' });
        return res.end(`internal error while checking token ${req.headers.authorization}`);
      case '/search':
        return sendJson(res, { echo: [{ method: req.method, type: req.headers['content-type'], body: JSON.parse(req.body) as unknown }] });
      case '/typed':
        return sendJson(res, [
          {
            id: 1,
            price: 9.5,
            active: true,
            day: '2024-02-29',
            at: '2024-03-01T12:30:00Z',
            address: { city: 'Lyon', geo: { lat: 45.76 } },
            tags: ['a', 'b'],
            mixed: 1,
            empty: null,
          },
          {
            id: 9007199254740991,
            price: 3,
            active: false,
            day: '2024-03-01',
            at: '2024-03-01 14:00:05.123+0200',
            address: { city: 'Oslo', geo: { lat: 59.91 } },
            tags: [],
            mixed: 'two',
            empty: null,
            late: 'only here',
          },
        ]);
      case '/failing':
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>Internal Server Error</h1>database is down</body></html>');
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<!doctype html><html><body>Sign in</body></html>');
      case '/hang':
        return; // never answers
      case '/huge':
        return sendJson(res, Array.from({ length: 5000 }, (_, i) => ({ i, text: 'x'.repeat(50) })));
      default:
        return sendJson(res, { error: 'not found' }, 404);
    }
  });
});

afterAll(async () => {
  await api?.close();
});

async function failureOf(source: RestSourceInput, options: FetchRestRowsOptions = reach): Promise<RestSourceError | SsrfError | HttpFetchError> {
  try {
    await fetchRestRows(source, options);
  } catch (err) {
    if (err instanceof RestSourceError || err instanceof SsrfError || err instanceof HttpFetchError) return err;
    throw err;
  }
  throw new Error('the fetch succeeded');
}

const names = (rows: unknown[][]): unknown[] => rows.map((r) => r[1]);

describe('rows', () => {
  it('are read at a dot path', async () => {
    const result = await fetchRestRows({ url: `${api.origin}/wrapped`, rowsPath: 'data.items' }, reach);
    expect(result.columns).toEqual([
      { name: 'id', type: 'bigint' },
      { name: 'name', type: 'text' },
    ]);
    expect(result.rows).toEqual([
      [1, 'Ada'],
      [2, 'Grace'],
    ]);
    expect(result.pages).toBe(1);
  });

  it('a path that holds no array says which path and what is there', async () => {
    const err = await failureOf({ url: `${api.origin}/wrapped`, rowsPath: 'meta' });
    expect(err.code).toBe('ROWS_NOT_ARRAY');
    expect(err.message).toContain('rowsPath "meta"');
    expect(err.message).toContain('an object with keys total');

    const missing = await failureOf({ url: `${api.origin}/wrapped`, rowsPath: 'data.rows' });
    expect(missing.message).toContain('"data" has no key "rows"');

    const root = await failureOf({ url: `${api.origin}/wrapped` });
    expect(root.message).toContain('The response body');
    expect(root.message).toContain('an object with keys meta, data');
    expect(root.message).toContain('set rowsPath');
  });

  it('nested objects are flattened, arrays kept as JSON text, and each column typed from its values', async () => {
    const { columns, rows } = await fetchRestRows({ url: `${api.origin}/typed` }, reach);
    expect(columns).toEqual([
      { name: 'id', type: 'bigint' },
      { name: 'price', type: 'double' },
      { name: 'active', type: 'boolean' },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'timestamptz' },
      { name: 'address.city', type: 'text' },
      { name: 'address.geo.lat', type: 'double' },
      { name: 'tags', type: 'text' },
      { name: 'mixed', type: 'text' },
      { name: 'empty', type: 'text' },
      { name: 'late', type: 'text' },
    ]);
    expect(rows).toEqual([
      [1, 9.5, true, '2024-02-29', '2024-03-01T12:30:00Z', 'Lyon', 45.76, '["a","b"]', '1', null, null],
      [9007199254740991, 3, false, '2024-03-01', '2024-03-01T14:00:05.123+02:00', 'Oslo', 59.91, '[]', 'two', null, 'only here'],
    ]);
  });

  it('a POST sends its JSON body', async () => {
    const { columns, rows } = await fetchRestRows(
      { url: `${api.origin}/search`, method: 'POST', body: '{"q":"sales"}', rowsPath: 'echo' },
      reach,
    );
    expect(columns.map((c) => c.name)).toEqual(['method', 'type', 'body.q']);
    expect(rows).toEqual([['POST', 'application/json', 'sales']]);
  });
});

describe('pagination', () => {
  it('page numbers until an empty page', async () => {
    const result = await fetchRestRows(
      {
        url: `${api.origin}/paged`,
        rowsPath: 'results',
        pagination: { kind: 'page', pageParam: 'page', pageSizeParam: 'per_page', pageSize: 2 },
      },
      reach,
    );
    expect(names(result.rows)).toEqual(['Ada', 'Grace', 'Edsger', 'Barbara', 'Donald']);
    expect(result.pages).toBe(4);
    expect(api.requests.at(-1)?.url).toBe('/paged?page=4&per_page=2');
  });

  it('offset and limit until a short page', async () => {
    const result = await fetchRestRows(
      { url: `${api.origin}/offset`, pagination: { kind: 'offset', offsetParam: 'skip', limitParam: 'take', limit: 2 } },
      reach,
    );
    expect(names(result.rows)).toEqual(['Ada', 'Grace', 'Edsger', 'Barbara', 'Donald']);
    expect(result.pages).toBe(3);
  });

  it('a cursor from the body until it is null', async () => {
    const result = await fetchRestRows(
      {
        url: `${api.origin}/cursor`,
        rowsPath: 'rows',
        pagination: { kind: 'cursor', cursorPath: 'paging.next', cursorParam: 'after' },
      },
      reach,
    );
    expect(names(result.rows)).toEqual(['Ada', 'Grace', 'Edsger', 'Barbara', 'Donald']);
    expect(result.pages).toBe(3);
  });

  it('a cursor that repeats stops with an error instead of looping', async () => {
    const err = await failureOf({
      url: `${api.origin}/cursor-stuck`,
      rowsPath: 'rows',
      pagination: { kind: 'cursor', cursorPath: 'paging.next', cursorParam: 'after' },
    });
    expect(err.code).toBe('PAGINATION_LOOP');
  });

  it('Link: rel="next" headers until there is none', async () => {
    const result = await fetchRestRows({ url: `${api.origin}/linked`, pagination: { kind: 'link' } }, reach);
    expect(names(result.rows)).toEqual(['Ada', 'Grace', 'Edsger', 'Barbara', 'Donald']);
    expect(result.pages).toBe(3);
  });

  it('stops at maxPages and says so', async () => {
    const result = await fetchRestRows(
      { url: `${api.origin}/endless`, pagination: { kind: 'page', pageParam: 'page' }, maxPages: 3 },
      reach,
    );
    expect(result.rows).toEqual([[1], [2], [3]]);
    expect(result.pages).toBe(3);
    expect(result.reachedMaxPages).toBe(true);
  });
});

describe('secret headers', () => {
  it('are sent to the API', async () => {
    const { rows } = await fetchRestRows({ url: `${api.origin}/private` }, { ...reach, secretHeaders: { Authorization: SECRET } });
    expect(rows).toEqual([[true]]);
  });

  it('never appear in error messages, even when the server echoes them', async () => {
    const err = await failureOf({ url: `${api.origin}/private-broken` }, { ...reach, secretHeaders: { Authorization: SECRET } });
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toContain('500');
    expect(err.message).not.toContain('tok_9f8e7d6c5b4a');
    expect(err.message).toContain('***');
  });

  it('are refused among the plain headers', async () => {
    const err = await failureOf({ url: `${api.origin}/private`, headers: { Authorization: SECRET } });
    expect(err.code).toBe('INVALID_SOURCE');
    expect(err.message).toContain('headers.Authorization');
    expect(err.message).not.toContain('tok_9f8e7d6c5b4a');
  });
});

describe('failures', () => {
  it('a 500 gives the status and the start of the body', async () => {
    const err = await failureOf({ url: `${api.origin}/failing?token=abc` });
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toContain(`GET ${api.origin}/failing answered 500 Internal Server Error`);
    expect(err.message).toContain('database is down');
    expect(err.message).not.toContain('token=abc');
  });

  it('a body that is not JSON says so', async () => {
    const err = await failureOf({ url: `${api.origin}/html` });
    expect(err.code).toBe('NOT_JSON');
    expect(err.message).toContain('text/html');
    expect(err.message).toContain('Sign in');
  });

  it('a page larger than maxBytes is refused', async () => {
    const err = await failureOf({ url: `${api.origin}/huge` }, { ...reach, maxBytes: 64 * 1024 });
    expect(err.code).toBe('RESPONSE_TOO_LARGE');
    expect(err.message).toContain('65536 bytes');
  });

  it('more rows than maxRows fail rather than load part of the data', async () => {
    const err = await failureOf({ url: `${api.origin}/huge` }, { ...reach, maxRows: 1000 });
    expect(err.code).toBe('TOO_MANY_ROWS');
  });

  it('a fetch that outlives timeoutMs is stopped and says which page it was on', async () => {
    const err = await failureOf(
      { url: `${api.origin}/hang`, pagination: { kind: 'page', pageParam: 'page' } },
      { ...reach, timeoutMs: 200 },
    );
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toContain('longer than its limit of 200 ms (page 1)');
  });

  it('the source is fetched through the address guard', async () => {
    const before = api.requests.length;
    const err = await failureOf({ url: `${api.origin}/wrapped`, rowsPath: 'data.items' }, {});
    expect(err.code).toBe('BLOCKED_ADDRESS');
    expect(api.requests.length).toBe(before);
  });

  it('a URL that is not http(s) is an invalid source', async () => {
    const err = await failureOf({ url: 'file:///etc/passwd' });
    expect(err.code).toBe('INVALID_SOURCE');
    expect(err.message).toContain('only http and https');
  });
});
