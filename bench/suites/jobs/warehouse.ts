/** Tables and datasources the query-job suites query, in the warehouse database. */
import type { BenchPlatform } from './platform';

export const EVENTS_ROWS = 1000;
/** Matched by pg_stat_activity look-ups: present only in the slow datasource's SQL. */
export const SLOW_MARKER = 'sightline-bench-slow';

/** `public.events`: 1,000 rows over 10 regions. */
export async function createEventsTable(p: BenchPlatform): Promise<void> {
  await p.direct.query(`CREATE TABLE events (id int PRIMARY KEY, region text NOT NULL, amount numeric(10,2) NOT NULL);
    INSERT INTO events SELECT i, 'region-' || (i % 10), (i % 97) + 0.25 FROM generate_series(1, ${EVENTS_ROWS}) i;
    ANALYZE events;`);
}

export function eventsDatasource(p: BenchPlatform, token: string): Promise<string> {
  return p.createDatasource(token, 'Events', { table: 'events', schema: 'public' });
}

/** A datasource whose every query sleeps in the database for `seconds`. */
export function slowDatasource(p: BenchPlatform, token: string, seconds: number): Promise<string> {
  return p.createDatasource(token, 'Slow', { sql: `SELECT pg_sleep(${seconds}) AS slept, '${SLOW_MARKER}' AS marker` });
}

export const RUN_QUERY = `mutation($id: ID!, $q: JSON!, $r: Boolean) { runQuery(datasourceId: $id, query: $q, refresh: $r) { id status cached result { rows rowCount } } }`;

export interface RunQueryJob {
  id: string;
  status: string;
  cached: boolean;
  result: { rows: unknown[][]; rowCount: number } | null;
}

export async function runQuery(p: BenchPlatform, token: string, datasourceId: string, query: unknown, refresh: boolean): Promise<RunQueryJob> {
  const data = await p.gql(RUN_QUERY, { id: datasourceId, q: query, r: refresh }, token);
  return data['runQuery'] as RunQueryJob;
}

/** Runs `query` until the answer comes from the cache (the first run queues a job). */
export async function warmCache(p: BenchPlatform, token: string, datasourceId: string, query: unknown, timeoutMs = 20_000): Promise<RunQueryJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await runQuery(p, token, datasourceId, query, false);
    if (job.cached && job.status === 'DONE') return job;
    if (job.status === 'FAILED') throw new Error(`the query failed: ${JSON.stringify(job)}`);
    if (Date.now() > deadline) throw new Error(`no cached result after ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
