/**
 * Streamed uploads (GraphQL multipart request spec): files go to disk, never to memory; limits;
 * temporary files gone when the request ends, whatever happens. Most cases run on a yoga built
 * here with a tiny schema over the real plugin stack; the last ones on the real server.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { createServer, request as httpRequest, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import { createYoga } from 'graphql-yoga';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UploadScalar, type StagedUpload } from '../graphql/types/upload';
import { createMaskError } from '../server/mask-error';
import { useBodyLimit } from '../server/plugins/use-body-limit';
import { useStreamedUploads, type StreamedUploadOptions } from '../server/plugins/use-streamed-uploads';
import { startTestServer, type TestServer } from './harness';

// ---- the multipart body, generated as it is sent -------------------------------------------

interface FilePart {
  field: string;
  filename: string;
  mimetype?: string;
  size: number;
  /** Bytes of the file, produced on demand. */
  bytes: () => AsyncIterable<Buffer>;
}

interface Multipart {
  contentType: string;
  length: number;
  chunks: () => AsyncIterable<Buffer>;
}

const CHUNK = 64 * 1024;
const block = randomBytes(CHUNK);

/** `size` bytes of a fixed pattern, one 64 KiB chunk at a time. */
function patterned(size: number): () => AsyncIterable<Buffer> {
  return async function* () {
    for (let sent = 0; sent < size; sent += CHUNK) yield block.subarray(0, Math.min(CHUNK, size - sent));
  };
}

const fromBuffer = (data: Buffer): FilePart['bytes'] => async function* () {
  yield data;
};

async function sha256Of(bytes: () => AsyncIterable<Buffer>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of bytes()) hash.update(chunk);
  return hash.digest('hex');
}

/** Fields in order, then files: `fields` may put things in the wrong order on purpose. */
function multipart(fields: [string, string][], files: FilePart[], filesFirst = false): Multipart {
  const boundary = `----sightline${randomBytes(8).toString('hex')}`;
  const fieldHead = (name: string) => Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n`);
  const fileHead = (f: FilePart) =>
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\ncontent-type: ${f.mimetype ?? 'application/octet-stream'}\r\n\r\n`,
    );
  const crlf = Buffer.from('\r\n');
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const fieldBytes = fields.map(([name, value]) => Buffer.concat([fieldHead(name), Buffer.from(value), crlf]));
  const length =
    fieldBytes.reduce((n, b) => n + b.length, 0) + files.reduce((n, f) => n + fileHead(f).length + f.size + crlf.length, 0) + tail.length;
  async function* fileChunks() {
    for (const f of files) {
      yield fileHead(f);
      yield* f.bytes();
      yield crlf;
    }
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    chunks: async function* () {
      if (filesFirst) yield* fileChunks();
      yield* fieldBytes;
      if (!filesFirst) yield* fileChunks();
      yield tail;
    },
  };
}

/** The spec's usual shape: operations, then a map of the files into variables. */
function uploadRequest(query: string, variables: Record<string, unknown>, files: (FilePart & { paths: string[] })[]): Multipart {
  const map = Object.fromEntries(files.map((f) => [f.field, f.paths]));
  return multipart(
    [
      ['operations', JSON.stringify({ query, variables })],
      ['map', JSON.stringify(map)],
    ],
    files,
  );
}

interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** The real server accepts files from signed-in editors only. */
let serverToken: string | undefined;

/** POSTs a multipart body with node:http, streaming it; `onChunk` sees every chunk sent. */
function post(url: string, body: Multipart, onChunk?: () => void, onRequest?: (req: ClientRequest) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/graphql`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': body.contentType,
        'content-length': String(body.length),
        accept: 'application/graphql-response+json, application/json',
        ...(serverToken ? { authorization: `Bearer ${serverToken}` } : {}),
      },
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8')) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    onRequest?.(req);
    const source = Readable.from(
      (async function* () {
        for await (const chunk of body.chunks()) {
          onChunk?.();
          yield chunk;
        }
      })(),
    );
    // A server that refuses early still reads the rest; an aborted request ends with an error here.
    pipeline(source, req).catch(() => {});
  });
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ---- a yoga with a tiny schema over the real plugins ---------------------------------------

interface Seen {
  path: string;
  existed: boolean;
}

const Receipt = new GraphQLObjectType<StagedUpload & { existed: boolean }>({
  name: 'Receipt',
  fields: {
    filename: { type: GraphQLString },
    mimetype: { type: GraphQLString },
    encoding: { type: GraphQLString },
    size: { type: GraphQLFloat },
    sha256: { type: GraphQLString },
    existed: { type: GraphQLBoolean },
  },
});

function uploadSchema(seen: Seen[], keptDir: string) {
  const receipt = (u: StagedUpload) => {
    const existed = existsSync(u.path);
    seen.push({ path: u.path, existed });
    return { ...u, existed };
  };
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean, resolve: () => true } } }),
    mutation: new GraphQLObjectType({
      name: 'Mutation',
      fields: {
        receive: {
          type: Receipt,
          args: { file: { type: new GraphQLNonNull(UploadScalar) } },
          resolve: (_r, args: { file: StagedUpload }) => receipt(args.file),
        },
        receiveMany: {
          type: new GraphQLList(Receipt),
          args: { files: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(UploadScalar))) } },
          resolve: (_r, args: { files: StagedUpload[] }) => args.files.map(receipt),
        },
        keep: {
          type: Receipt,
          args: { file: { type: new GraphQLNonNull(UploadScalar) }, name: { type: new GraphQLNonNull(GraphQLString) } },
          resolve: async (_r, args: { file: StagedUpload; name: string }) => {
            const r = receipt(args.file);
            await rename(args.file.path, join(keptDir, args.name));
            return r;
          },
        },
      },
    }),
  });
}

/** Log lines of the plugin as events, to wait for cleanup without guessing at timing. */
function recordingLogger() {
  const events = new EventEmitter();
  return {
    events,
    logger: {
      debug: (details: object, message: string) => events.emit(message, details),
      warn: (details: object, message: string) => events.emit('warn', details, message),
    },
  };
}

interface UploadServer {
  url: string;
  dir: string;
  keptDir: string;
  seen: Seen[];
  events: EventEmitter;
  close(): Promise<void>;
}

async function startUploadServer(options: Omit<StreamedUploadOptions, 'dir' | 'logger'> = {}): Promise<UploadServer> {
  const root = mkdtempSync(join(tmpdir(), 'sightline-uploads-test-'));
  const dir = join(root, 'staged');
  const keptDir = join(root, 'kept');
  mkdirSync(keptDir);
  const { events, logger } = recordingLogger();
  const seen: Seen[] = [];
  // The same order and limits as create-api.ts.
  const yoga = createYoga({
    schema: uploadSchema(seen, keptDir),
    logging: false,
    maskedErrors: { maskError: createMaskError(pino({ level: 'silent' })), isDev: false },
    plugins: [useStreamedUploads({ ...options, dir, logger, maxOperationsBytes: options.maxOperationsBytes ?? 1_000_000 }), useBodyLimit(1_000_000)],
  });
  const server: Server = createServer((req, res) => void yoga(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    keptDir,
    seen,
    events,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

const RECEIVE = `mutation($file: Upload!) { receive(file: $file) { filename mimetype size sha256 existed } }`;
const staged = (s: UploadServer) => (existsSync(s.dir) ? readdirSync(s.dir) : []);

describe('streamed uploads', () => {
  let s: UploadServer;
  beforeAll(async () => {
    s = await startUploadServer({ maxFileBytes: 300 * 1024 * 1024, maxFiles: 3 });
  });
  afterAll(() => s.close());
  afterEach(() => {
    s.seen.length = 0;
  });

  it('stages one file: name, type, size and sha256 right; the folder is private; nothing left after the response', async () => {
    const data = randomBytes(300_000);
    const r = await post(
      s.url,
      uploadRequest(RECEIVE, { file: null }, [{ field: '0', filename: 'sales q1 – €.csv', mimetype: 'text/csv', size: data.length, bytes: fromBuffer(data), paths: ['variables.file'] }]),
    );
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!['receive']).toEqual({
      filename: 'sales q1 – €.csv',
      mimetype: 'text/csv',
      size: 300_000,
      sha256: createHash('sha256').update(data).digest('hex'),
      existed: true,
    });
    expect(statSync(s.dir).mode & 0o777).toBe(0o700);
    expect(s.seen).toHaveLength(1);
    expect(existsSync(s.seen[0]!.path)).toBe(false);
    expect(staged(s)).toEqual([]);
  });

  it('stages two files into a list variable by the map, and an empty file', async () => {
    const a = randomBytes(70_000);
    const r = await post(
      s.url,
      uploadRequest(`mutation($files: [Upload!]!) { receiveMany(files: $files) { filename size sha256 } }`, { files: [null, null] }, [
        { field: 'a', filename: 'a.bin', size: a.length, bytes: fromBuffer(a), paths: ['variables.files.0'] },
        { field: 'b', filename: 'empty.txt', size: 0, bytes: fromBuffer(Buffer.alloc(0)), paths: ['variables.files.1'] },
      ]),
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!['receiveMany']).toEqual([
      { filename: 'a.bin', size: 70_000, sha256: createHash('sha256').update(a).digest('hex') },
      { filename: 'empty.txt', size: 0, sha256: createHash('sha256').update('').digest('hex') },
    ]);
    expect(staged(s)).toEqual([]);
  });

  it('a file the resolver moves away is kept; cleanup does not mind', async () => {
    const data = randomBytes(10_000);
    const r = await post(
      s.url,
      uploadRequest(`mutation($file: Upload!) { keep(file: $file, name: "kept.bin") { size } }`, { file: null }, [
        { field: '0', filename: 'k.bin', size: data.length, bytes: fromBuffer(data), paths: ['variables.file'] },
      ]),
    );
    expect(r.body.errors).toBeUndefined();
    expect(readFileSync(join(s.keptDir, 'kept.bin')).equals(data)).toBe(true);
    expect(staged(s)).toEqual([]);
  });

  it('streams a 200 MB body to disk with bounded memory', { timeout: 180_000 }, async () => {
    const size = 200 * 1024 * 1024;
    const bytes = patterned(size);
    const expected = await sha256Of(bytes);
    const before = process.memoryUsage().rss;
    let peak = before;
    const r = await post(
      s.url,
      uploadRequest(RECEIVE, { file: null }, [{ field: '0', filename: 'big.bin', size, bytes, paths: ['variables.file'] }]),
      () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    );
    const growth = peak - before;
    console.log(`200 MB upload: RSS ${(before / 2 ** 20).toFixed(0)} MB before, peak growth ${(growth / 2 ** 20).toFixed(1)} MB`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!['receive']).toMatchObject({ size, sha256: expected, existed: true });
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    expect(staged(s)).toEqual([]);
  });

  it('a file over the size limit is refused with the limit in the message; no temporary file is left', async () => {
    const small = await startUploadServer({ maxFileBytes: 1024 * 1024 });
    try {
      const r = await post(
        small.url,
        uploadRequest(RECEIVE, { file: null }, [{ field: '0', filename: 'big.bin', size: 3 * 1024 * 1024, bytes: patterned(3 * 1024 * 1024), paths: ['variables.file'] }]),
      );
      expect(r.status).toBe(413);
      expect(r.body.errors![0]!.extensions!.code).toBe('PAYLOAD_TOO_LARGE');
      expect(r.body.errors![0]!.message).toBe('multipart request: file "0" is larger than the upload limit of 1048576 bytes');
      expect(staged(small)).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('more files than allowed are refused', async () => {
    const files = ['a', 'b', 'c', 'd'].map((field, i) => ({ field, filename: `${field}.txt`, size: 3, bytes: fromBuffer(Buffer.from('abc')), paths: [`variables.files.${i}`] }));
    const r = await post(s.url, uploadRequest(`mutation($files: [Upload!]!) { receiveMany(files: $files) { size } }`, { files: [null, null, null, null] }, files));
    expect(r.status).toBe(413);
    expect(r.body.errors![0]!.message).toMatch(/at most 3 are allowed/);
    expect(staged(s)).toEqual([]);
  });

  it('an operations field over the JSON limit is refused, though files are not capped by it', async () => {
    const r = await post(
      s.url,
      multipart([['operations', JSON.stringify({ query: RECEIVE, variables: { file: null, pad: 'x'.repeat(1_100_000) } })]], []),
    );
    expect(r.status).toBe(413);
    expect(r.body.errors![0]).toMatchObject({ message: 'multipart request: the "operations" field is larger than 1000000 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it.each([
    ['no map', [['operations', JSON.stringify({ query: RECEIVE, variables: { file: null } })]], 'the "map" field is missing'],
    ['no operations', [['map', '{"0":["variables.file"]}']], 'the "operations" field must come before "map"'],
    ['nothing', [], 'the "operations" field is missing'],
    ['operations that are not JSON', [['operations', '{"query":']], 'the "operations" field is not valid JSON'],
    ['a map path outside variables', [['operations', JSON.stringify({ query: RECEIVE, variables: { file: null } })], ['map', '{"0":["query"]}']], 'must point into "variables"'],
    ['a map path onto a non-null value', [['operations', JSON.stringify({ query: RECEIVE, variables: { file: 'x' } })], ['map', '{"0":["variables.file"]}']], 'must hold null'],
    ['a map path through __proto__', [['operations', '{"query":"{ ok }","variables":{"__proto__":{"x":null}}}'], ['map', '{"0":["variables.__proto__.x"]}']], 'does not exist'],
  ] as [string, [string, string][], string][])('%s → 400 BAD_REQUEST', async (_name, fields, message) => {
    const r = await post(s.url, multipart(fields, []));
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
    expect(r.body.errors![0]!.message).toContain(message);
  });

  it('a file before operations and map → 400 BAD_REQUEST; no temporary file', async () => {
    const body = multipart(
      [
        ['operations', JSON.stringify({ query: RECEIVE, variables: { file: null } })],
        ['map', '{"0":["variables.file"]}'],
      ],
      [{ field: '0', filename: 'early.bin', size: 2 * 1024 * 1024, bytes: patterned(2 * 1024 * 1024) }],
      true,
    );
    const r = await post(s.url, body);
    expect(r.status).toBe(400);
    expect(r.body.errors![0]).toMatchObject({ message: 'multipart request: file "0" arrived before the "operations" and "map" fields, which must come first', extensions: { code: 'BAD_REQUEST' } });
    expect(staged(s)).toEqual([]);
  });

  it('a file listed in map but not sent → 400', async () => {
    const r = await post(s.url, multipart([['operations', JSON.stringify({ query: RECEIVE, variables: { file: null } })], ['map', '{"0":["variables.file"]}']], []));
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.message).toContain('files listed in "map" were not sent: 0');
  });

  it('a client that goes away mid-upload leaves no temporary file', async () => {
    const size = 64 * 1024 * 1024;
    let req: ClientRequest | undefined;
    const cleaned = once(s.events, 'staged uploads removed');
    const answer = post(
      s.url,
      uploadRequest(RECEIVE, { file: null }, [{ field: '0', filename: 'cut.bin', size, bytes: patterned(size), paths: ['variables.file'] }]),
      undefined,
      (r) => (req = r),
    );
    answer.catch(() => {});
    await waitUntil(() => staged(s).some((f) => statSync(join(s.dir, f)).size > 0), 'part of the file is on disk');
    req!.destroy();
    await cleaned;
    expect(staged(s)).toEqual([]);
    await expect(answer).rejects.toThrow();
  });

  it('multipart without Content-Length is refused with 411', async () => {
    const body = multipart([['operations', JSON.stringify({ query: '{ ok }' })], ['map', '{}']], []);
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': body.contentType },
      body: Readable.toWeb(Readable.from(body.chunks())) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(411);
    expect(((await res.json()) as Answer['body']).errors![0]!.extensions!.code).toBe('LENGTH_REQUIRED');
  });

  describe('a value for an Upload variable that is not a file is refused', () => {
    it.each([
      ['a string', 'hello'],
      ['an object shaped like a staged upload', { filename: 'passwd', mimetype: 'text/plain', encoding: '7bit', path: '/etc/passwd', size: 1, sha256: 'x' }],
    ])('%s, sent as JSON', async (_name, value) => {
      const res = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: RECEIVE, variables: { file: value } }),
      });
      const body = (await res.json()) as Answer['body'];
      expect(body.data ?? null).toBeNull();
      expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(body.errors![0]!.message).toContain('Variable "$file" got invalid value');
      expect(body.errors![0]!.message).toContain('must be a file sent as multipart');
      expect(s.seen).toEqual([]);
    });

    it('a string, sent in a multipart request', async () => {
      const r = await post(s.url, multipart([['operations', JSON.stringify({ query: RECEIVE, variables: { file: 'hello' } })], ['map', '{}']], []));
      expect(r.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(r.body.errors![0]!.message).toContain('must be a file sent as multipart');
    });

    it('a literal in the query', async () => {
      const r = await post(s.url, multipart([['operations', JSON.stringify({ query: `mutation { receive(file: "x") { size } }` })], ['map', '{}']], []));
      expect(r.body.data ?? null).toBeNull();
      expect(r.body.errors![0]!.message).toContain('must be a file sent as multipart');
    });
  });
});

describe('streamed uploads on the API server', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer('pglite');
    serverToken = (await api.signUp('Uploads')).token;
  });
  afterAll(() => {
    serverToken = undefined;
    return api.close();
  });

  it('a multipart request larger than the JSON body limit is parsed, not refused', async () => {
    const size = 3 * 1024 * 1024;
    const r = await post(
      api.url,
      uploadRequest(`{ __typename }`, { file: null }, [{ field: '0', filename: 'x.bin', size, bytes: patterned(size), paths: ['variables.file'] }]),
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('its operations field stays under the JSON body limit', async () => {
    const r = await post(api.url, multipart([['operations', JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } })], ['map', '{}']], []));
    expect(r.status).toBe(413);
    expect(r.body.errors![0]!.extensions!.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
