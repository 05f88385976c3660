/**
 * The last subscriber of a running `pg_sleep(30)` job leaves → its database backend stops
 * running the query (pg_stat_activity), against `pg_cancel_backend` of the same sleep run with
 * a plain pg client. Both sides are observed by polling pg_stat_activity every ~1 ms from a
 * separate connection. CANCEL_GRACE_MS=0.
 */
import pg from 'pg';
import { PG_ADMIN } from '../../testkit/services';
import { now, since } from '../lib/clock';
import { compareWithMargin } from '../lib/margin';
import { progress } from '../lib/progress';
import { summarizeDurations } from '../lib/stats';
import type { BenchSuite } from '../lib/types';
import { ActivityProbe } from './jobs/activity';
import { startBenchPlatform, type BenchPlatform } from './jobs/platform';
import { runQuery, SLOW_MARKER, slowDatasource } from './jobs/warehouse';
import { watchJob, wsClient } from './jobs/ws';

const ROUNDS = 30;
const WARMUP = 2;
const PRODUCT_APP = 'sightline';
const DIRECT_APP = 'sightline-bench-direct';
const SLOW_QUERY = { dimensions: ['marker'] };

async function jobEnded(p: BenchPlatform, token: string, jobId: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const data = await p.gql(`query($id: ID!) { queryJob(id: $id) { status } }`, { id: jobId }, token);
    const status = (data['queryJob'] as { status: string } | null)?.status ?? 'missing';
    if (['DONE', 'FAILED', 'CANCELLED'].includes(status)) return status;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const suite: BenchSuite = {
  name: 'cancel-latency',
  description: 'last subscriber leaves a pg_sleep job → backend idle, against a direct pg_cancel_backend',
  async run() {
    const p = await startBenchPlatform({ CANCEL_GRACE_MS: '0' });
    const probe = await ActivityProbe.open(p.warehouse.name);
    const sleeper = new pg.Client({ connectionString: p.warehouse.url, application_name: DIRECT_APP });
    const canceller = new pg.Client({ ...PG_ADMIN, application_name: 'sightline-bench-cancel' });
    let client: ReturnType<typeof wsClient> | null = null;
    try {
      await sleeper.connect();
      await canceller.connect();
      const token = await p.signUp();
      const ds = await slowDatasource(p, token, 30);
      client = wsClient(p.url, token);
      const ws = client;

      const viaProduct = async (): Promise<number> => {
        const job = await runQuery(p, token, ds, SLOW_QUERY, true);
        let failure: unknown = null;
        const unsubscribe = watchJob(ws, job.id, () => {}, (err) => (failure = err));
        await probe.until(PRODUCT_APP, (pids) => pids.length === 1, 15_000);
        if (failure) throw failure;
        const t0 = now();
        unsubscribe();
        await probe.until(PRODUCT_APP, (pids) => pids.length === 0, 15_000);
        const elapsed = since(t0);
        const status = await jobEnded(p, token, job.id);
        if (status !== 'CANCELLED') throw new Error(`the abandoned job ended ${status}`);
        return elapsed;
      };
      const direct = async (): Promise<number> => {
        const running = sleeper.query(`SELECT pg_sleep(30) AS slept, '${SLOW_MARKER}' AS marker`).then(
          () => 'finished',
          () => 'cancelled',
        );
        const [pid] = await probe.until(DIRECT_APP, (pids) => pids.length === 1, 15_000);
        const t0 = now();
        await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
        await probe.until(DIRECT_APP, (pids) => pids.length === 0, 15_000);
        const elapsed = since(t0);
        if ((await running) !== 'cancelled') throw new Error('the direct pg_sleep was not cancelled');
        return elapsed;
      };

      progress('cancel-latency · warm-up');
      for (let i = 0; i < WARMUP; i++) {
        await viaProduct();
        await direct();
      }
      const a: number[] = [];
      const b: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        progress(`cancel-latency · round ${round + 1}/${ROUNDS}`);
        if (round % 2 === 0) {
          a.push(await viaProduct());
          b.push(await direct());
        } else {
          b.push(await direct());
          a.push(await viaProduct());
        }
      }
      return [
        compareWithMargin(
          'unsubscribe → backend idle',
          { label: 'last queryJob subscriber completes → worker cancels → pg_stat_activity shows no active backend', unit: 'ms', stats: summarizeDurations(a, 'ms') },
          { label: 'pg_cancel_backend(pid) on an open connection → same observation', unit: 'ms', stats: summarizeDurations(b, 'ms') },
          { p50PlusMs: 50, p99PlusMs: 50 },
          [`${ROUNDS} alternated rounds per side after ${WARMUP} warm-ups; polled every ~1 ms from a separate connection (each poll ≈ one round-trip)`],
        ),
      ];
    } finally {
      await client?.dispose();
      await sleeper.end().catch(() => undefined);
      await canceller.end().catch(() => undefined);
      await probe.close();
      await p.close();
    }
  },
};

export default suite;
