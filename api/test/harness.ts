/**
 * Starts a real API server on a free port, once per backend: PGlite in memory, or a fresh
 * PostgreSQL database on the server. Tests talk to it over HTTP only, like any client.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../bin/config';
import { startPlatform } from '../../bin/compose-platform';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Db } from '../../schema/database';
import { createPgDatabase, hasService, type TempDatabase } from '../../testkit/services';

export type Backend = 'pglite' | 'postgres';

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string } }[];
}

export interface TestServer {
  url: string;
  backend: Backend;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  /** Signs up a new person with a new organization; returns their session token. */
  /** The server's own database, to seed rows no mutation creates yet and to inspect storage. */
  db: Db;
  /** SQL statements the server ran since the last reset. */
  queries: string[];
  /** The server's DATA_DIR (SQLite datasource files live in its `sqlite/`). */
  dataDir: string;
  signUp(org?: string): Promise<{ token: string; email: string; organizationId: string; userId: string }>;
  close(): Promise<void>;
}

/** The backends to run API suites on. PostgreSQL is required under CI (hasService throws). */
export async function backends(): Promise<Backend[]> {
  return (await hasService('postgres')) ? ['pglite', 'postgres'] : ['pglite'];
}

export async function startTestServer(backend: Backend, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-test-'));
  let pgDb: TempDatabase | null = null;
  if (backend === 'postgres') pgDb = await createPgDatabase('sl_api');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SAMPLE_DATASOURCE: 'false',
    // Tests watch cancellation happen; the default grace would only slow them down.
    CANCEL_GRACE_MS: '0',
    SIGHTLINE_SECRET_KEY: randomBytes(32).toString('hex'),
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...env,
  });
  const queries: string[] = [];
  const api = await startPlatform(config, { roles: { api: true, workers: true }, database: pgDb ? undefined : { kind: 'pglite', dataDir: null }, databaseOptions: { onQuery: (q) => queries.push(q) } });

  const gql: TestServer['gql'] = async (query, variables, token) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: GqlResult['errors'] };
    return { status: res.status, data: (body.data ?? null) as never, errors: body.errors };
  };

  let counter = 0;
  const signUp: TestServer['signUp'] = async (org = 'Org') => {
    const email = `user${++counter}-${randomBytes(3).toString('hex')}@example.com`;
    const r = await gql(
      `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } organization { id } } }`,
      { input: { email, password: 'a long password', organizationName: org } },
    );
    if (!r.data) throw new Error(`sign-up failed: ${JSON.stringify(r.errors)}`);
    const s = r.data['signUp'];
    return { token: s.token, email, organizationId: s.organization.id, userId: s.user.id };
  };

  if (!api.url) throw new Error('the API did not start');
  const url = api.url;
  return {
    url,
    backend,
    gql,
    db: api.db,
    queries,
    dataDir,
    signUp,
    close: async () => {
      await api.close();
      await pgDb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The single error code of a result, for compact assertions. */
export function errorCode(r: GqlResult): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}

/** A graphql-ws client on a test server, with each subscription as an async iterator of results. */
export function wsClient(url: string, token?: string) {
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
  return {
    subscribe<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) {
      return client.iterate<T>({ query, variables }) as AsyncIterableIterator<GqlResult<T>>;
    },
    dispose: () => client.dispose(),
  };
}

/**
 * Reads results until `until` says stop or the stream ends, leaving the stream open for more.
 * Fails when nothing satisfying arrives within the time limit.
 */
export async function collect<T>(it: AsyncIterator<T>, until: (item: T, all: T[]) => boolean, timeoutMs = 20_000): Promise<T[]> {
  const items: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms; got ${JSON.stringify(items).slice(0, 500)}`);
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      it.next(),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left))),
    ]);
    clearTimeout(timer);
    if (next === 'timeout') continue;
    if (next.done) return items;
    items.push(next.value);
    if (until(next.value, items)) return items;
  }
}
