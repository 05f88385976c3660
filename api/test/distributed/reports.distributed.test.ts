/**
 * A report run whose worker is killed (SIGKILL) after the first email: another worker takes the
 * run over and sends the rest, and nobody gets the report twice. Real processes (bin/api.ts,
 * bin/worker.ts) on PostgreSQL and Redis, Debian's Chromium, an SMTP server on loopback.
 */
import pg from 'pg';
import { startSmtpServer, type TestSmtp } from '../../../testkit/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, hasService, PG_ADMIN, type TempDatabase } from '../../../testkit/services';
import { buildOnce } from '../../../web/test/support';
import { decodeGlobalId } from '../../graphql/ids';
import { Cluster, waitFor, type SightlineProcess } from './cluster';

const servicesUp = [await hasService('postgres'), await hasService('redis')].every(Boolean);

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`${query.slice(0, 50)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

describe.skipIf(!servicesUp)('a report worker killed mid-run', () => {
  let cluster: Cluster;
  let api: SightlineProcess;
  let smtp: TestSmtp;
  let data: TempDatabase;
  let meta: pg.Client;

  beforeAll(async () => {
    await buildOnce();
    smtp = await startSmtpServer();
    const smtpPort = smtp.port;
    data = await createPgDatabase('sl_rep');
    const c = new pg.Client({ connectionString: data.url });
    await c.connect();
    await c.query(`CREATE TABLE sales (region text, amount int); INSERT INTO sales VALUES ('North', 10), ('South', 20), ('East', 30)`);
    await c.end();
    cluster = await Cluster.create({
      env: { QUEUE_LOCK_MS: '2000', QUEUE_STALLED_INTERVAL_MS: '500', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), SMTP_FROM: 'reports@sightline.test', SCHEDULER: 'off' },
    });
    meta = new pg.Client({ connectionString: cluster.metadata.url });
    await meta.connect();
    api = await cluster.start('api', 'api', { WORKER_QUEUES: '' });
  }, 240_000);

  afterAll(async () => {
    await meta?.end();
    await cluster?.close();
    await data?.drop();
    await smtp?.close();
  }, 60_000);

  it('sends each recipient exactly one email', async () => {
    const workerEnv = { WORKER_QUEUES: 'queries,reports', PLATFORM_URL: api.url };
    const worker1 = await cluster.start('worker1', 'worker', workerEnv);
    const token = (await gql(api.url, `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, { i: { email: `r-${Date.now()}@example.com`, password: 'a long password', organizationName: 'R' } })).signUp.token;
    const connection = { host: PG_ADMIN.host, port: PG_ADMIN.port, database: data.name, user: PG_ADMIN.user, sslMode: 'DISABLE' };
    const ds = (await gql(api.url, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name: 'Sales', kind: 'POSTGRES', connection, source: { table: 'sales', schema: 'public' } } }, token)).createDatasource.id;
    const model = { tabs: [{ id: 'm', title: 'M', widgets: [{ id: 'k', type: 'kpi', title: 'Total', datasourceId: ds, query: { measures: [{ agg: 'sum', field: 'amount' }] }, layout: { x: 0, y: 0, w: 4, h: 2 } }] }] };
    const dash = (await gql(api.url, `mutation($m: JSON!) { createDashboard(input: {name: "Sales", model: $m}) { id } }`, { m: model }, token)).createDashboard.id;
    const recipients = ['North', 'South', 'East'].map((r) => ({ email: `${r.toLowerCase()}@example.com`, filters: [{ field: 'region', values: [r] }] }));
    const run = (await gql(api.url, `mutation($d: ID!, $r: [RecipientInput!]!) { sendDashboard(dashboardId: $d, recipients: $r) { id } }`, { d: dash, r: recipients }, token)).sendDashboard;
    const runId = decodeGlobalId(run.id).id;

    // Killed once the first email is recorded as sent: the next render is under way.
    await waitFor('the first delivery', async () => ((await meta.query('SELECT count(*)::int AS n FROM report_deliveries WHERE run_id = $1', [runId])).rows[0].n >= 1 ? true : undefined), 90_000, 20);
    await worker1.kill9();
    const sentBeforeKill = smtp.mails.length;
    expect(sentBeforeKill).toBeGreaterThanOrEqual(1);
    expect(sentBeforeKill).toBeLessThan(3);

    await cluster.start('worker2', 'worker', workerEnv);
    let last: unknown = null;
    const ended = await waitFor(`the run to end on worker 2 (${JSON.stringify(last)})`, async () => {
      const r = (await gql(api.url, `query($id: ID!) { run(id: $id) { status message log } }`, { id: run.id }, token)).run;
      last = r;
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status) ? r : undefined;
    }, 120_000, 250).catch(async (err: Error) => {
      const { Queue } = await import('bullmq');
      const { Redis } = await import('ioredis');
      const redis = new Redis(cluster.redisUrl);
      const q = new Queue('reports', { connection: redis, prefix: cluster.redisPrefix });
      const job = await q.getJob(runId);
      const state = await q.getJobState(runId);
      const fair = await redis.hgetall(`${cluster.redisPrefix}:reports:fair:job:${runId}`);
      const keys = await redis.keys(`${cluster.redisPrefix}:reports:*`);
      await q.close();
      redis.disconnect();
      throw new Error(`${err.message}: ${JSON.stringify(last)} bull=${state} attempts=${job?.attemptsMade} opts=${JSON.stringify(job?.opts)} fair=${JSON.stringify(fair)} keys=${keys.join(',')}\n${cluster.output()}`);
    });
    expect(ended.status, `${ended.message}\n${ended.log}\n${cluster.output()}`).toBe('SUCCEEDED');
    expect(ended.message).toBe('3 of 3 emails sent');
    expect(ended.log).toMatch(/already sent by an earlier attempt/);
    expect(smtp.mails.flatMap((m) => m.to).sort()).toEqual(['east@example.com', 'north@example.com', 'south@example.com']);
  }, 300_000);
});
