/**
 * The distributed platform in this process for the query-job suites: a fresh PostgreSQL
 * metadata database, Redis under a prefix of its own, the API and the workers; plus a warehouse
 * database for datasources. `close` removes all of it (databases, every key under the prefix),
 * and is registered to run on Ctrl-C too.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../../bin/config';
import { startPlatform } from '../../../bin/compose-platform';
import { deleteKeys } from '../../../testkit/redis-keys';
import { createPgDatabase, REDIS_URL, uniqueName, type TempDatabase } from '../../../testkit/services';
import { onInterrupt } from '../../lib/cleanup';

export interface GqlReply {
  data: Record<string, unknown> | null;
  errors?: { message: string }[];
}

export interface BenchPlatform {
  url: string;
  redisPrefix: string;
  warehouse: TempDatabase;
  /** A plain client on the warehouse database. */
  direct: pg.Client;
  gql(query: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, unknown>>;
  /** A new person with a new organization; their session token. */
  signUp(): Promise<string>;
  createDatasource(token: string, name: string, source: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Deletes every key under `prefix`, for the Redis prefix a run used. */
export const deleteRedisPrefix = (prefix: string): Promise<void> => deleteKeys(REDIS_URL, prefix);

async function gqlOver(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GqlReply;
  if (body.errors || !body.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function startBenchPlatform(env: Record<string, string> = {}): Promise<BenchPlatform> {
  const redisPrefix = uniqueName('slbench');
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  const created: TempDatabase[] = [];
  let platform: Awaited<ReturnType<typeof startPlatform>> | null = null;
  let direct: pg.Client | null = null;
  const teardown = async () => {
    await direct?.end().catch(() => undefined);
    await platform?.close().catch(() => undefined);
    for (const db of created) await db.drop().catch(() => undefined);
    await deleteRedisPrefix(redisPrefix).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const forget = onInterrupt(teardown);
  try {
    const meta = await createPgDatabase('sl_bench_meta');
    created.push(meta);
    const warehouse = await createPgDatabase('sl_bench_wh');
    created.push(warehouse);
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SAMPLE_DATASOURCE: 'false',
      SIGHTLINE_SECRET_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: meta.url,
      REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      CANCEL_GRACE_MS: '0',
      ...env,
    });
    platform = await startPlatform(config, { roles: { api: true, workers: true } });
    direct = new pg.Client({ connectionString: warehouse.url, application_name: 'sightline-bench' });
    await direct.connect();
    const url = platform.url!;
    const gql = (query: string, variables: Record<string, unknown>, token?: string) => gqlOver(url, query, variables, token);
    return {
      url,
      redisPrefix,
      warehouse,
      direct,
      gql,
      async signUp() {
        const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
        const data = await gql(`mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, { i: { email, password: 'a long password', organizationName: 'Bench' } });
        return (data['signUp'] as { token: string }).token;
      },
      async createDatasource(token, name, source) {
        const connection = { host: '127.0.0.1', port: 5432, database: warehouse.name, user: 'postgres', sslMode: 'DISABLE' };
        const data = await gql(`mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name, kind: 'POSTGRES', connection, source } }, token);
        return (data['createDatasource'] as { id: string }).id;
      },
      async close() {
        await teardown();
        forget();
      },
    };
  } catch (err) {
    await teardown();
    forget();
    throw err;
  }
}
