import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFetchError, SsrfError } from '../errors';
import { safeFetch, type SafeFetchOptions } from '../safe-fetch';
import { sendJson, startTestServer, startTestServerAt, type TestServer } from './http-test-server';

/** The error a refused or failed fetch ends with. */
async function failureOf(url: string, options?: SafeFetchOptions): Promise<SsrfError | HttpFetchError> {
  try {
    await safeFetch(url, options);
  } catch (err) {
    if (err instanceof SsrfError || err instanceof HttpFetchError) return err;
    throw err;
  }
  throw new Error(`${url} was fetched`);
}

let loopback: TestServer;
/** Listens on 127.0.0.2 at the same port, so one URL port reaches either address. */
let otherLoopback: TestServer;

beforeAll(async () => {
  loopback = await startTestServer((req, res) => {
    if (req.url.startsWith('/to-other')) {
      res.writeHead(302, { location: `http://127.0.0.2:${loopback.port}/` }).end();
    } else if (req.url.startsWith('/to-self')) {
      res.writeHead(301, { location: '/landed?x=1' }).end();
    } else if (req.url.startsWith('/loop')) {
      res.writeHead(302, { location: '/loop' }).end();
    } else if (req.url.startsWith('/to-gopher')) {
      res.writeHead(302, { location: 'gopher://127.0.0.1:70/' }).end();
    } else if (req.url.startsWith('/to-file')) {
      res.writeHead(307, { location: 'file:///etc/passwd' }).end();
    } else if (req.url.startsWith('/hang')) {
      // Never answers: only a timeout or an abort ends the request.
    } else if (req.url.startsWith('/big')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      // No Content-Length: the limit must be enforced while the body streams in.
      res.write(Buffer.alloc(64 * 1024, 1));
      res.end(Buffer.alloc(64 * 1024, 1));
    } else {
      sendJson(res, { at: '127.0.0.1', url: req.url });
    }
  });
  otherLoopback = await startTestServerAt((req, res) => sendJson(res, { at: '127.0.0.2', url: req.url }), '127.0.0.2', loopback.port);
});

afterAll(async () => {
  await loopback?.close();
  await otherLoopback?.close();
});

describe('loopback, private and link-local addresses are refused', () => {
  it.each([
    ['http://127.0.0.1:PORT/', '127.0.0.1'],
    ['http://127.1:PORT/', '127.0.0.1'],
    ['http://0x7f.1:PORT/', '127.0.0.1'],
    ['http://0177.0.0.1:PORT/', '127.0.0.1'],
    ['http://2130706433:PORT/', '127.0.0.1'],
    ['http://0x7f000001:PORT/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]:PORT/', '::ffff:7f00:1'],
    ['http://[::ffff:7f00:1]:PORT/', '::ffff:7f00:1'],
    ['http://[::1]:PORT/', '::1'],
    ['http://localhost:PORT/', 'loopback'],
  ])('%s never reaches the loopback server', async (template, shown) => {
    const url = template.replace('PORT', String(loopback.port));
    const before = loopback.requests.length;
    const err = await failureOf(url);
    expect(err.code).toBe('BLOCKED_ADDRESS');
    expect(err.message).toContain(shown);
    expect(err.message).toContain('loopback');
    expect(err.message).toContain('REST_ALLOWED_HOSTS');
    expect(loopback.requests.length).toBe(before);
  });

  it('says which URL, which address and why, in the spelling the user gave', async () => {
    const err = await failureOf(`http://127.1:${loopback.port}/?key=secret-in-query`);
    expect(err.message).toBe(
      `http://127.1:${loopback.port}/ resolves to 127.0.0.1, a loopback address; an administrator can allow it with REST_ALLOWED_HOSTS`,
    );
  });

  it.each([
    ['http://10.0.0.1/', 'private'],
    ['http://10.255.255.254:8080/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.1.1/', 'private'],
    ['http://192.168.0.1/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fd00::1]/', 'unique local'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'link-local'],
  ])('%s is refused (%s)', async (url, reason) => {
    const err = await failureOf(url);
    expect(err.code).toBe('BLOCKED_ADDRESS');
    expect(err.message).toContain(reason);
  });
});

describe('URLs that are not plain http(s)', () => {
  it.each(['file:///etc/passwd', 'gopher://127.0.0.1:70/_GET', 'ftp://example.com/', 'javascript:alert(1)'])('%s is refused', async (url) => {
    const err = await failureOf(url);
    expect(err.code).toBe('BAD_SCHEME');
    expect(err.message).toContain('only http and https');
  });

  it('refuses credentials in the URL without repeating them', async () => {
    const err = await failureOf('http://admin:hunter2@example.com/data');
    expect(err.code).toBe('CREDENTIALS_IN_URL');
    expect(err.message).not.toContain('hunter2');
  });
});

describe('the administrator allow-list', () => {
  it('an allowed address is fetched', async () => {
    const response = await safeFetch(`${loopback.origin}/hello?x=1`, { allowedHosts: ['127.0.0.1'] });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({ at: '127.0.0.1', url: '/hello?x=1' });
  });

  it('an allowed range covers every address in it, in any spelling', async () => {
    const response = await safeFetch(`http://0x7f.2:${loopback.port}/`, { allowedHosts: ['127.0.0.0/8'] });
    expect(JSON.parse(response.body.toString())).toMatchObject({ at: '127.0.0.2' });
  });

  it('an allowed name may resolve to a blocked address; another name to the same address may not', async () => {
    const lookup = async (): Promise<string[]> => ['127.0.0.1'];
    const allowedHosts = ['Reports.Internal.Test'];
    const response = await safeFetch(`http://reports.internal.test:${loopback.port}/n`, { allowedHosts, lookup });
    expect(JSON.parse(response.body.toString())).toEqual({ at: '127.0.0.1', url: '/n' });

    const err = await failureOf(`http://other.internal.test:${loopback.port}/n`, { allowedHosts, lookup });
    expect(err.code).toBe('BLOCKED_ADDRESS');
  });

  it('allowing one loopback address does not allow its neighbour', async () => {
    const before = otherLoopback.requests.length;
    const err = await failureOf(`http://127.0.0.2:${loopback.port}/`, { allowedHosts: ['127.0.0.1'] });
    expect(err.code).toBe('BLOCKED_ADDRESS');
    expect(otherLoopback.requests.length).toBe(before);
  });
});

describe('redirects', () => {
  it('a redirect to an address that is not allowed is refused before connecting', async () => {
    const before = otherLoopback.requests.length;
    const err = await failureOf(`${loopback.origin}/to-other`, { allowedHosts: ['127.0.0.1'] });
    expect(err.code).toBe('BLOCKED_ADDRESS');
    expect(err.message).toContain(`http://127.0.0.2:${loopback.port}/ (redirected from ${loopback.origin}/to-other)`);
    expect(otherLoopback.requests.length).toBe(before);
  });

  it('a redirect to an allowed target is followed', async () => {
    const response = await safeFetch(`${loopback.origin}/to-other`, { allowedHosts: ['127.0.0.1', '127.0.0.2'] });
    expect(JSON.parse(response.body.toString())).toEqual({ at: '127.0.0.2', url: '/' });
    expect(response.redirects).toBe(1);
    expect(response.url).toBe(`http://127.0.0.2:${loopback.port}/`);
  });

  it('a relative redirect is followed on the same server', async () => {
    const response = await safeFetch(`${loopback.origin}/to-self`, { allowedHosts: ['127.0.0.1'] });
    expect(JSON.parse(response.body.toString())).toEqual({ at: '127.0.0.1', url: '/landed?x=1' });
  });

  it('secret headers are not carried to another origin', async () => {
    const before = otherLoopback.requests.length;
    await safeFetch(`${loopback.origin}/to-other`, {
      allowedHosts: ['127.0.0.0/8'],
      headers: { Authorization: 'Bearer s3cret-token', 'X-Api-Key': 'k-123456789', Accept: 'application/json' },
      sensitiveHeaders: ['X-Api-Key'],
    });
    const first = loopback.requests.at(-1);
    const landed = otherLoopback.requests[before];
    expect(first?.headers.authorization).toBe('Bearer s3cret-token');
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers['x-api-key']).toBeUndefined();
    expect(landed?.headers.accept).toBe('application/json');
  });

  it('stops after five redirects', async () => {
    const err = await failureOf(`${loopback.origin}/loop`, { allowedHosts: ['127.0.0.1'] });
    expect(err.code).toBe('TOO_MANY_REDIRECTS');
    expect(err.message).toContain('more than 5 times');
  });

  it.each(['/to-gopher', '/to-file'])('a redirect from %s to another scheme is refused', async (path) => {
    const err = await failureOf(`${loopback.origin}${path}`, { allowedHosts: ['127.0.0.1'] });
    expect(err.code).toBe('BAD_SCHEME');
  });
});

describe('DNS rebinding', () => {
  it('a name whose resolver answers 127.0.0.1 is refused', async () => {
    const before = loopback.requests.length;
    const err = await failureOf(`http://rebind.attacker.test:${loopback.port}/`, { lookup: async () => ['127.0.0.1'] });
    expect(err.code).toBe('BLOCKED_ADDRESS');
    expect(err.message).toContain('rebind.attacker.test');
    expect(loopback.requests.length).toBe(before);
  });

  it('one blocked address among public ones refuses the whole answer', async () => {
    const err = await failureOf(`http://mixed.attacker.test:${loopback.port}/`, {
      lookup: async () => ['93.184.215.14', '127.0.0.1'],
    });
    expect(err.code).toBe('BLOCKED_ADDRESS');
  });

  it('the address that passed the check is the one connected to', async () => {
    // First answer: permitted (127.0.0.1 is allowed). Any later answer: 127.0.0.2, not allowed.
    // A guard that resolved once to check and again to connect would reach 127.0.0.2.
    let calls = 0;
    const lookup = async (): Promise<string[]> => (++calls === 1 ? ['127.0.0.1'] : ['127.0.0.2']);
    const before = otherLoopback.requests.length;
    const response = await safeFetch(`http://rebind.attacker.test:${loopback.port}/checked`, {
      allowedHosts: ['127.0.0.1'],
      lookup,
    });
    expect(JSON.parse(response.body.toString())).toEqual({ at: '127.0.0.1', url: '/checked' });
    expect(calls).toBe(1);
    expect(otherLoopback.requests.length).toBe(before);
  });

  it('a resolver answering a public address, then 127.0.0.1, is asked once and loopback never sees a request', async () => {
    let calls = 0;
    const controller = new AbortController();
    const lookup = async (): Promise<string[]> => {
      calls += 1;
      if (calls === 1) {
        // Stop before the socket dials the public address: the test must not reach the internet.
        controller.abort();
        return ['93.184.215.14'];
      }
      return ['127.0.0.1'];
    };
    const before = loopback.requests.length;
    const err = await failureOf(`http://rebind.attacker.test:${loopback.port}/`, { lookup, signal: controller.signal });
    expect(err.code).toBe('ABORTED');
    expect(calls).toBe(1);
    expect(loopback.requests.length).toBe(before);
  });
});

describe('limits', () => {
  it('a body larger than maxBytes is cut off with a clear error', async () => {
    const err = await failureOf(`${loopback.origin}/big`, { allowedHosts: ['127.0.0.1'], maxBytes: 100_000 });
    expect(err.code).toBe('RESPONSE_TOO_LARGE');
    expect(err.message).toContain('100000 bytes');
  });

  it('a request that outlives timeoutMs is stopped', async () => {
    const err = await failureOf(`${loopback.origin}/hang`, { allowedHosts: ['127.0.0.1'], timeoutMs: 200 });
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toContain(`${loopback.origin}/hang took longer than its limit of 200 ms`);
  });

  it('aborting the signal stops a request that is waiting for its answer', async () => {
    const controller = new AbortController();
    const pending = failureOf(`${loopback.origin}/hang?abort`, { allowedHosts: ['127.0.0.1'], signal: controller.signal });
    while (!loopback.requests.some((r) => r.url === '/hang?abort')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controller.abort();
    expect((await pending).code).toBe('ABORTED');
  });

  it('an aborted signal stops the request', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await failureOf(`${loopback.origin}/`, { allowedHosts: ['127.0.0.1'], signal: controller.signal });
    expect(err.code).toBe('ABORTED');
  });
});
