/**
 * User scripts end to end with the real Docker engine: a script reads data with the SDK, writes
 * a warehouse table, and a live query on that table sees the rows; limits stop runaway scripts;
 * the sandbox keeps a script off the network, the engine and other organizations' data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSandboxImage, dockerForTests } from '../../workers/scripts/test/docker-for-tests';
import { collect, startTestServer, wsClient, type TestServer } from './harness';
import { must } from './fixtures';
import { runToEnd } from './run-helpers';
import { decodeGlobalId } from '../graphql/ids';
import { SCRIPT_LABEL } from '../../workers/scripts';
import { like } from 'drizzle-orm';
import { apiTokens } from '../../schema/tables';

const docker = await dockerForTests();
const WRITE = `mutation($i: WriteTableInput!) { writeWarehouseTable(input: $i) { datasource { id } run { status } } }`;

describe.skipIf(!docker)('user scripts in Docker', () => {
  let s: TestServer;
  let token: string;
  let sourceId: string;
  let foreignId: string;

  async function runTask(code: string, timeoutSeconds = 60) {
    const task = (await must(s, `mutation($i: TaskInput!) { createTask(input: $i) { id } }`, { i: { name: 'script', code, runtime: 'TYPESCRIPT', timeoutSeconds } }, token))['createTask'];
    const run = (await must(s, `mutation($id: ID!) { runTask(id: $id) { id status trigger } }`, { id: task.id }, token))['runTask'];
    return run as { id: string };
  }

  beforeAll(async () => {
    await buildSandboxImage();
    s = await startTestServer('pglite', { SCRIPT_MEMORY_MB: '64' });
    token = (await s.signUp('Scripts')).token;
    const other = (await s.signUp('Neighbour')).token;
    sourceId = (await must(s, WRITE, { i: { table: 'sales', columns: [{ name: 'region', type: 'TEXT' }, { name: 'amount', type: 'BIGINT' }], rows: [['north', 10], ['south', 4], ['north', 5]] } }, token))['writeWarehouseTable'].datasource.id;
    foreignId = (await must(s, WRITE, { i: { table: 'secrets', columns: [{ name: 'x', type: 'TEXT' }], rows: [['theirs']] } }, other))['writeWarehouseTable'].datasource.id;
  }, 300_000);

  afterAll(async () => {
    await s?.close();
  });

  it('reads with the SDK, writes a warehouse table, and a live query on it sees the new rows', async () => {
    const target = (await must(s, WRITE, { i: { table: 'doubled', columns: [{ name: 'region', type: 'TEXT' }, { name: 'total', type: 'BIGINT' }], rows: [['none yet', 0]] } }, token))['writeWarehouseTable'].datasource.id;
    const ws = wsClient(s.url, token);
    const live = ws.subscribe(`subscription($id: ID!, $q: JSON!) { liveQuery(datasourceId: $id, query: $q) { status result { rows } } }`, { id: target, q: { dimensions: ['region', 'total'] } });
    const first = await collect(live, (e: any) => e.data?.liveQuery?.status === 'DONE');
    expect((first.at(-1) as any).data.liveQuery.result.rows).toEqual([['none yet', 0]]);

    const code = `
      import { client } from '@sightline/script';
      type Row = { region: string; total: number };
      const data = await client.getData<Row>(${JSON.stringify(sourceId)}, { dimensions: ['region'], measures: [{ agg: 'sum', field: 'amount', as: 'total' }] });
      console.log('read', data.rows.length, 'rows');
      const out = data.rows.map((r) => [r.region, r.total * 2]);
      const written = await client.runs.writeTable('doubled', [{ name: 'region', type: 'TEXT' }, { name: 'total', type: 'BIGINT' }], out);
      console.log('wrote', written.run.rowsWritten, 'rows');
      try {
        await client.getData(${JSON.stringify(foreignId)}, { dimensions: ['x'] });
        console.log('LEAKED another organization');
      } catch (err) {
        console.log('other organization:', (err as { code?: string }).code);
      }
      await client.close();
    `;
    const run = await runTask(code);
    const events = await runToEnd(s, token, run.id);
    const end = events.at(-1);
    expect(end.run.status, end.run.log).toBe('SUCCEEDED');
    expect(end.run.log).toContain('read 2 rows');
    expect(end.run.log).toContain('wrote 2 rows');
    expect(end.run.log).toContain('other organization: NOT_FOUND');
    expect(end.run.log).not.toContain('LEAKED');

    const next = await collect(live, (e: any) => e.data?.liveQuery?.status === 'DONE');
    expect((next.at(-1) as any).data.liveQuery.result.rows).toEqual([['north', 30], ['south', 8]]);
    await live.return?.();
    await ws.dispose();

    // The run's token is gone with the run (it was named after the run's row id).
    const runTokens = await s.db.select({ name: apiTokens.name }).from(apiTokens).where(like(apiTokens.name, `run ${decodeGlobalId(run.id).id} %`));
    expect(runTokens).toEqual([]);
  }, 240_000);

  it('runs a script as the next step of a dataflow', async () => {
    const task = (await must(s, `mutation($i: TaskInput!) { createTask(input: $i) { id } }`, { i: { name: 'after load', runtime: 'JAVASCRIPT', code: "import { client } from '@sightline/script'; const r = await client.runs.writeTable('step_done', [{ name: 'ok', type: 'BOOLEAN' }], [[true]]); console.log('step wrote', r.run.rowsWritten);" } }, token))['createTask'];
    const flow = (await must(s, `mutation($i: DataflowInput!) { createDataflow(input: $i) { id afterTaskId } }`, { i: { name: 'Totals', sourceDatasourceId: sourceId, query: { dimensions: ['region'], measures: [{ agg: 'sum', field: 'amount' }] }, targetTable: 'totals', afterTaskId: task.id } }, token))['createDataflow'];
    expect(flow.afterTaskId).toBe(task.id);
    const run = (await must(s, `mutation($id: ID!) { runDataflow(id: $id) { id } }`, { id: flow.id }, token))['runDataflow'];
    const end = (await runToEnd(s, token, run.id)).at(-1);
    expect(end.run.status, end.run.log).toBe('SUCCEEDED');
    expect(end.run.message).toMatch(/2 rows written to totals; script step: finished/);
    const steps = (await must(s, `query($id: ID!) { runs(subjectId: $id) { status trigger log } }`, { id: task.id }, token))['runs'];
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ status: 'SUCCEEDED', trigger: 'DATAFLOW' });
    expect(steps[0].log).toContain('step wrote 1');
  }, 180_000);

  it('stops a script that loops forever at its time limit', async () => {
    const run = await runTask('while (true) {}', 3);
    const end = (await runToEnd(s, token, run.id)).at(-1);
    expect(end.run.status).toBe('FAILED');
    expect(end.run.message).toMatch(/time limit of 3 s/);
  }, 120_000);

  it('kills a script that allocates too much and says so', async () => {
    const run = await runTask('const hog: Buffer[] = []; for (;;) hog.push(Buffer.alloc(16 * 1024 * 1024, 1));');
    const end = (await runToEnd(s, token, run.id)).at(-1);
    expect(end.run.status).toBe('FAILED');
    expect(end.run.message).toMatch(/memory limit of 64 MB/);
  }, 120_000);

  it('keeps a script off the network, the Docker socket and the host files, and says why', async () => {
    const code = `
      import { readFileSync } from 'node:fs';
      const tries: [string, () => Promise<unknown>][] = [
        ['network', () => fetch('http://1.1.1.1/', { signal: AbortSignal.timeout(5000) })],
        ['docker socket', async () => readFileSync('/var/run/docker.sock')],
        ['host file', async () => readFileSync('/etc/shadow', 'utf8')],
      ];
      for (const [what, attempt] of tries) {
        try { await attempt(); console.log(what, 'REACHED'); }
        catch (err) { const e = err as { code?: string; cause?: { code?: string } }; console.log(what, 'refused:', e.cause?.code ?? e.code); }
      }
    `;
    const run = await runTask(code);
    const end = (await runToEnd(s, token, run.id)).at(-1);
    expect(end.run.status, end.run.log).toBe('SUCCEEDED');
    expect(end.run.log).not.toContain('REACHED');
    expect(end.run.log).toMatch(/network refused: (ENETUNREACH|EAI_AGAIN|ECONNREFUSED|UND_ERR_CONNECT_TIMEOUT)/);
    expect(end.run.log).toMatch(/docker socket refused: (ENOENT|ERR_ACCESS_DENIED)/);
    expect(end.run.log).toMatch(/host file refused: (ERR_ACCESS_DENIED|EACCES|ENOENT)/);
  }, 120_000);

  it('cancels a running script and stops its container', async () => {
    const run = await runTask('console.log("started"); await new Promise((r) => setTimeout(r, 600_000));', 900);
    const ws = wsClient(s.url, token);
    const events = ws.subscribe(`subscription($id: ID!) { runEvents(id: $id) { type text status run { status message } } }`, { id: run.id });
    await collect(events, (e: any) => e.data?.runEvents?.text === 'started', 60_000);
    // Someone opening the run now sees what it printed so far.
    let soFar = '';
    for (let i = 0; i < 40 && !soFar.includes('started'); i++) {
      soFar = (await must(s, `query($id: ID!) { run(id: $id) { status log } }`, { id: run.id }, token))['run'].log;
      if (!soFar.includes('started')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(soFar).toContain('started');
    await must(s, `mutation($id: ID!) { cancelRun(id: $id) { id } }`, { id: run.id }, token);
    const rest = await collect(events, (e: any) => e.data?.runEvents?.run?.status === 'CANCELLED', 60_000);
    expect((rest.at(-1) as any).data.runEvents.run.status).toBe('CANCELLED');
    await ws.dispose();
    // No container of this run is left (the run's id is in its environment).
    const runUuid = decodeGlobalId(run.id).id;
    const left = await docker!.listContainers({ all: true, filters: { label: [SCRIPT_LABEL] } });
    const envs = await Promise.all(left.map((c) => docker!.getContainer(c.Id).inspect().then((i) => i.Config.Env, () => [] as string[])));
    expect(envs.filter((env) => env.includes(`SIGHTLINE_RUN_ID=${runUuid}`))).toEqual([]);
  }, 120_000);
});
