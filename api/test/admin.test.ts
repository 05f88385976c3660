/** The operations view: queues by organization and unfinished jobs, scoped to who asks. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, type TempDatabase } from '../../testkit/services';
import { errorCode, startTestServer, type TestServer } from './harness';
import { must } from './fixtures';

describe('operations view', () => {
  let s: TestServer;
  let warehouse: TempDatabase;
  let a: { token: string; organizationId: string; email: string };
  let b: { token: string; organizationId: string; email: string };
  let admin: { token: string; organizationId: string; email: string };
  let jobId: string;

  beforeAll(async () => {
    warehouse = await createPgDatabase('sl_admin');
    s = await startTestServer('pglite', { ADMIN_EMAILS: 'root-admin@example.com', QUERY_CONCURRENCY: '2' });
    a = await s.signUp('Alpha');
    b = await s.signUp('Beta');
    const up = await must(s, `mutation { signUp(input: {email: "root-admin@example.com", password: "a long password", organizationName: "Ops"}) { token organization { id } } }`, {}, '');
    admin = { token: up['signUp'].token, organizationId: up['signUp'].organization.id, email: 'root-admin@example.com' };
    const ds = await must(s, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, {
      i: { name: 'Slow', kind: 'POSTGRES', connection: { host: '127.0.0.1', port: 5432, database: warehouse.name, user: 'postgres' }, source: { sql: 'SELECT pg_sleep(20) AS s, 1 AS n' } },
    }, a.token);
    jobId = (await must(s, `mutation($id: ID!) { runQuery(datasourceId: $id, query: {dimensions: ["n"]}) { id } }`, { id: ds['createDatasource'].id }, a.token))['runQuery'].id;
    const c = new pg.Client({ connectionString: warehouse.url });
    await c.connect();
    for (let i = 0; i < 100; i++) {
      const r = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(20)%' AND state = 'active' AND pid <> pg_backend_pid()`);
      if (r.rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await c.end();
  }, 60_000);
  afterAll(async () => {
    await s.close();
    await warehouse.drop();
  });

  const QUEUES = `{ queues { queue waiting running organizations { organizationId name running waiting } } activeQueryJobs { id status } }`;

  it('an owner sees the running job of their organization', async () => {
    const r = await must(s, QUEUES, {}, a.token);
    const queries = r['queues'].find((q: { queue: string }) => q.queue === 'queries');
    expect(queries.running).toBe(1);
    expect(queries.organizations).toEqual([{ organizationId: a.organizationId, name: 'Alpha', running: 1, waiting: 0 }]);
    expect(r['activeQueryJobs']).toEqual([{ id: jobId, status: 'RUNNING' }]);
  });

  it('another organization’s owner sees totals but not whose, nor the job', async () => {
    const r = await must(s, QUEUES, {}, b.token);
    const queries = r['queues'].find((q: { queue: string }) => q.queue === 'queries');
    expect(queries.running).toBe(1);
    expect(queries.organizations).toEqual([]);
    expect(r['activeQueryJobs']).toEqual([]);
  });

  it('an instance administrator sees every organization and can cancel', async () => {
    const r = await must(s, QUEUES, {}, admin.token);
    const queries = r['queues'].find((q: { queue: string }) => q.queue === 'queries');
    expect(queries.organizations.map((o: { name: string }) => o.name)).toEqual(['Alpha']);
    expect(r['activeQueryJobs'].map((j: { id: string }) => j.id)).toEqual([jobId]);
    const cancelled = await must(s, `mutation($id: ID!) { cancelQueryJob(id: $id) { status } }`, { id: jobId }, a.token);
    expect(cancelled['cancelQueryJob'].status).toBe('CANCELLED');
    expect((await must(s, QUEUES, {}, admin.token))['activeQueryJobs']).toEqual([]);
  });

  it('is for owners only', async () => {
    const inv = await must(s, `mutation { inviteMember(email: "ed@example.com", role: EDITOR) { token } }`, {}, a.token);
    const editor = (await must(s, `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, { i: { email: 'ed@example.com', password: 'a long password', invitationToken: inv['inviteMember'].token } }, ''))['signUp'].token;
    expect(errorCode(await s.gql(QUEUES, {}, editor))).toBe('FORBIDDEN');
  });
});
