/**
 * A cold small query end to end — `runQuery(refresh: true)` over HTTP, the queue, a worker, the
 * database, the DONE event on a graphql-ws subscription — against the same compiled SQL and
 * parameters run with one `client.query` on a plain pg client. Measured client-side.
 */
import os from 'node:os';
import { compileQuery, type SourceRef } from '../../query';
import { ConnectorRegistry } from '../../workers/connectors';
import { PG_ADMIN } from '../../testkit/services';
import { now, since } from '../lib/clock';
import { compareWithMargin } from '../lib/margin';
import { progress } from '../lib/progress';
import { pairAsync } from '../lib/sample';
import { summarizeDurations } from '../lib/stats';
import type { BenchSuite } from '../lib/types';
import { startBenchPlatform } from './jobs/platform';
import { createEventsTable, EVENTS_ROWS, eventsDatasource, runQuery } from './jobs/warehouse';
import { watchJob, wsClient, type JobEvent } from './jobs/ws';

const QUERY = { measures: [{ agg: 'count' }] };
const SOURCE: SourceRef = { kind: 'table', schema: 'public', table: 'events' };
const MAX_ROWS = 100_000;

const suite: BenchSuite = {
  name: 'cold-query',
  description: `a cold count over ${EVENTS_ROWS.toLocaleString('en-US')} rows through the API, queue and worker, against the same SQL on pg`,
  async run() {
    const p = await startBenchPlatform({ MAX_ROWS: String(MAX_ROWS) });
    const registry = new ConnectorRegistry({ sqliteRoot: os.tmpdir(), sqliteFunctions: null });
    let client: ReturnType<typeof wsClient> | null = null;
    try {
      const token = await p.signUp();
      await createEventsTable(p);
      const ds = await eventsDatasource(p, token);
      const connector = registry.get('bench-events', { kind: 'postgres', host: PG_ADMIN.host, port: PG_ADMIN.port, database: p.warehouse.name, user: PG_ADMIN.user, password: '', sslMode: 'disable' });
      const { tables } = await connector.introspect();
      const columns = tables.find((t) => t.name === 'events')?.columns;
      if (!columns) throw new Error('events is missing from the introspection');
      const compiled = compileQuery({ dialect: 'postgres', source: SOURCE, columns, formulas: [], query: QUERY, maxRows: MAX_ROWS });
      client = wsClient(p.url, token);
      const ws = client;

      const cold = async (): Promise<unknown[][]> => {
        const job = await runQuery(p, token, ds, QUERY, true);
        if (job.cached) throw new Error('refresh: true answered from the cache');
        return new Promise((resolve, reject) => {
          const unsubscribe = watchJob(
            ws,
            job.id,
            (e: JobEvent) => {
              if (e.status === 'DONE') {
                unsubscribe();
                resolve(e.result?.rows ?? []);
              } else if (e.status === 'FAILED' || e.status === 'CANCELLED') reject(new Error(`job ${e.status}`));
            },
            reject,
          );
        });
      };
      const direct = async () => (await p.direct.query(compiled.sql, [...compiled.params])).rows;

      const first = await cold();
      if (JSON.stringify(first) !== JSON.stringify([[EVENTS_ROWS]])) throw new Error(`unexpected result ${JSON.stringify(first)}`);
      progress('cold-query · measuring (alternated)');
      const t0 = now();
      const samples = await pairAsync(cold, direct, { warmup: 5, minRounds: 60, maxRounds: 300, budgetMs: 30_000 });
      progress(`cold-query · ${samples.a.length} rounds in ${(since(t0) / 1e9).toFixed(1)} s`);
      return [
        compareWithMargin(
          'cold count(*) until DONE',
          { label: 'runQuery(refresh: true) over HTTP → queue → worker → DONE on the queryJob subscription', unit: 'ms', stats: summarizeDurations(samples.a, 'ms') },
          { label: 'pg client.query of the same compiled SQL', unit: 'ms', stats: summarizeDurations(samples.b, 'ms') },
          { p50PlusMs: 3, p99PlusMs: 15 },
          [`one API and one worker in this process on Redis and PostgreSQL (loopback); SQL: ${compiled.sql.replace(/\s+/g, ' ').slice(0, 120)}`],
        ),
      ];
    } finally {
      await client?.dispose();
      await registry.closeAll().catch(() => undefined);
      await p.close();
    }
  },
};

export default suite;
