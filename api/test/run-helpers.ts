/** Following runs and query jobs to their end, for API tests. */
import { collect, wsClient, type TestServer } from './harness';
import { must } from './fixtures';

const RUN_EVENTS = `subscription($id: ID!) { runEvents(id: $id) { type status text run { status message rowsWritten log } } }`;
export const RUN_QUERY = `mutation($id: ID!, $q: JSON!) { runQuery(datasourceId: $id, query: $q, refresh: true) { id } }`;
const WATCH = `subscription($id: ID!) { queryJob(id: $id) { status error { code message } result { rows } } }`;

export async function runToEnd(s: TestServer, token: string, runId: string) {
  const ws = wsClient(s.url, token);
  try {
    const events = await collect(ws.subscribe(RUN_EVENTS, { id: runId }), (e: any) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(e.data?.runEvents?.run?.status ?? ''), 60_000);
    return events.map((e: any) => e.data.runEvents);
  } finally {
    await ws.dispose();
  }
}

export async function queryRows(s: TestServer, token: string, datasourceId: string, query: unknown) {
  const job = (await must(s, RUN_QUERY, { id: datasourceId, q: query }, token))['runQuery'];
  const ws = wsClient(s.url, token);
  try {
    const events = await collect(ws.subscribe(WATCH, { id: job.id }), (e: any) => ['DONE', 'FAILED', 'CANCELLED'].includes(e.data?.queryJob?.status), 30_000);
    const last = (events.at(-1) as any).data.queryJob;
    if (last.status !== 'DONE') throw new Error(`query ${last.status}: ${JSON.stringify(last.error)}`);
    return last.result.rows as unknown[][];
  } finally {
    await ws.dispose();
  }
}

