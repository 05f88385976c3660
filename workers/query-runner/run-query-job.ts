/**
 * The processor of query jobs: from the payload to a finished job. Every state change goes
 * through the journal (stored, published, recorded); the result is cached under the job's cache
 * key for the datasource's TTL. A query error, a database error or a cancel ends the job with
 * its status; only an unexpected failure is thrown (so the queue may retry it).
 */
import { compileQuery, QueryError } from '../../query';
import { dialectOf } from '../../schema/domain/dialect';
import type { QueryJobError } from '../../schema/domain/query-job';
import { cacheKeyOf, durationKey, jobKey, type QueryJobPayload, type QueryJobSnapshot } from '../../schema/jobs/query-job-contract';
import type { KvStore } from '../../infra/cache/kv-store';
import type { KvEntry, QueryJobJournal } from '../../infra/jobs/query-job-journal';
import type { Metrics } from '../../infra/metrics/metrics';
import { isConnectorError } from '../connectors';
import type { SourceResolver } from '../datasource-ops/source-resolver';
import { executeCompiled } from './execute-query';

export interface QueryRunnerDeps {
  journal: QueryJobJournal;
  kv: KvStore;
  sources: SourceResolver;
  /** A statement running longer than this is stopped in the database: TIMEOUT. */
  statementTimeoutMs: number;
  /** Progress events are published at most this often. */
  progressIntervalMs?: number;
  metrics?: Metrics;
}

const now = () => new Date().toISOString();

/** How long the end of a job is retried when Redis or the database cannot record it. */
const RECORD_END_FOR_MS = 30_000;

/**
 * Retries an idempotent write until it succeeds or `forMs` pass. The end of a job is worth
 * waiting for: once the query has run, failing here would make the queue run it again (a
 * second execution in the warehouse) only because Redis restarted or a connection dropped.
 */
async function persistently<T>(write: () => Promise<T>, forMs: number): Promise<T> {
  const deadline = Date.now() + forMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() + delay > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function toJobError(err: unknown): QueryJobError | null {
  if (err instanceof QueryError) return err.toJSON();
  if (isConnectorError(err)) return { code: err.code, message: err.message };
  return null;
}

export function createQueryRunner(deps: QueryRunnerDeps) {
  const { journal, kv, sources } = deps;
  const progressInterval = deps.progressIntervalMs ?? 250;

  /** A moving average of run times per datasource: the API routes slow ones to the long queue. */
  async function rememberDuration(datasourceId: string, ms: number) {
    const previous = Number((await kv.get(durationKey(datasourceId))) ?? String(ms));
    await kv.set(durationKey(datasourceId), String(Math.round(previous * 0.7 + ms * 0.3)), 7 * 86_400);
  }

  return async function runQueryJob(payload: QueryJobPayload, signal: AbortSignal): Promise<void> {
    // Independent reads, issued together: the state, and the datasource with its connector.
    const resolving = sources.resolve(payload.organizationId, payload.datasourceId);
    resolving.catch(() => undefined);
    const before = await journal.get(payload.jobId);
    // A job finished elsewhere (a retry after its worker died late) is not run twice.
    if (!before || before.status === 'DONE' || before.status === 'FAILED' || before.status === 'CANCELLED') return;
    let snapshot: QueryJobSnapshot = { ...before, status: 'RUNNING', seq: before.seq + 1, startedAt: now(), progress: 0, rowsFetched: 0 };
    // RUNNING is news, not a precondition: it is stored, published and recorded while the
    // query runs, and the end waits for it, so the states land in their order. Lost to a Redis
    // outage, it is simply skipped; the end is written persistently.
    let announced: Promise<unknown> = journal.announce(snapshot).catch(() => undefined);
    const history: Promise<void> = journal.history(snapshot, payload.cacheKey).catch(() => undefined);

    const finish = async (change: Partial<QueryJobSnapshot>, alongside: KvEntry[] = []) => {
      const end: QueryJobSnapshot = { ...snapshot, ...change, seq: snapshot.seq + 1, finishedAt: now() };
      snapshot = end;
      // The end follows this run's earlier states in storage; the history row takes its states
      // in any order (it never leaves an end), so the database does not hold up listeners.
      await announced;
      // Announcing is idempotent (the same snapshot again is taken again). Refused, another end
      // came first (another run of this job, a cancel, the queue giving up): that one stands,
      // in the history row too.
      const taken = await persistently(() => journal.announce(end, alongside), RECORD_END_FOR_MS);
      const ended = taken ? persistently(() => journal.history(end, payload.cacheKey), RECORD_END_FOR_MS) : Promise.resolve();
      if (taken) deps.metrics?.jobLatency.observe({ queue: end.queue, status: end.status }, (Date.parse(end.finishedAt!) - Date.parse(end.queuedAt)) / 1000);
      // The claim goes only after DONE is stored, so a newcomer finds either the claim or the cached answer.
      await Promise.all([history, ended, persistently(() => journal.releaseFlight(payload.cacheKey, payload.jobId), RECORD_END_FOR_MS)]);
    };

    const startedAt = Date.now();
    try {
      const source = await resolving;
      const compiled = compileQuery({
        dialect: dialectOf(source.row.kind),
        source: source.row.source,
        columns: await source.columns(),
        formulas: source.row.formulas,
        query: payload.query,
        maxRows: payload.maxRows,
      });
      let lastProgressAt = Date.now();
      const result = await executeCompiled(source.connector, compiled, {
        signal,
        timeoutMs: deps.statementTimeoutMs,
        onProgress: (rowsFetched) => {
          if (Date.now() - lastProgressAt < progressInterval) return;
          lastProgressAt = Date.now();
          snapshot = { ...snapshot, seq: snapshot.seq + 1, rowsFetched, progress: Math.min(0.99, rowsFetched / Math.max(1, compiled.rowLimit)) };
          // Advisory, and replaced by the next one: a failed write (Redis down) must not become
          // an unhandled rejection, nor fail a query that is still running fine.
          const progress = snapshot;
          announced = announced.then(() => journal.announce(progress)).catch(() => undefined);
        },
      });
      // A routing hint only, off the path to DONE: losing one sample to a Redis outage costs nothing.
      const remembered = rememberDuration(payload.datasourceId, Date.now() - startedAt).catch(() => undefined);
      // The cache points at the job's snapshot before anyone hears DONE, so whoever asks again
      // right after gets a hit (a hit on a snapshot not yet DONE is ignored by the API).
      const pointer: KvEntry[] = payload.cacheTtlSeconds > 0 ? [{ key: cacheKeyOf(payload.cacheKey), value: jobKey(payload.jobId), ttlSeconds: payload.cacheTtlSeconds }] : [];
      await finish({ status: 'DONE', progress: 1, rowsFetched: result.rowCount, result }, pointer);
      await remembered;
    } catch (err) {
      if (signal.aborted || (isConnectorError(err) && err.code === 'CANCELLED')) {
        await finish({ status: 'CANCELLED', error: { code: 'CANCELLED', message: 'the query was cancelled' } });
        return;
      }
      const error = toJobError(err);
      if (!error) throw err;
      await finish({ status: 'FAILED', error });
    }
  };
}
