/**
 * Running queries as jobs: start one, follow its states, cancel it, or do all three in
 * getData and get typed rows back.
 */
import { QueryFailedError, SightlineError } from './errors.js';
import {
  CancelQueryJobDocument,
  RunQueryDocument,
  WatchQueryJobDocument,
  type QueryJobEventFieldsFragment,
  type QueryJobFieldsFragment,
  type QueryJobStatus,
} from './generated/graphql.js';
import type { Query, ResultColumn } from './query-language.js';
import { rowsToObjects } from './rows.js';
import type { EventStream, RequestTransport, SubscriptionTransport } from './transport/types.js';

export type QueryJob = QueryJobFieldsFragment;
/** One state of a job. After a reconnect the current state is sent again, so one may repeat. */
export type QueryJobEvent = QueryJobEventFieldsFragment;
export type { QueryJobStatus };

export interface RunQueryOptions {
  /** Bypass the result cache. */
  refresh?: boolean;
  signal?: AbortSignal;
}

export interface GetDataOptions extends RunQueryOptions {}

export interface QueryData<Row> {
  jobId: string;
  rows: Row[];
  columns: ResultColumn[];
  rowCount: number;
  /** True when the server's row maximum cut the result. */
  truncated: boolean;
  /** True when the answer came from the result cache. */
  cached: boolean;
}

const TERMINAL: ReadonlySet<QueryJobStatus> = new Set(['DONE', 'FAILED', 'CANCELLED']);

export function isTerminal(status: QueryJobStatus): boolean {
  return TERMINAL.has(status);
}

type JobState = Pick<QueryJobEvent, 'status' | 'cached' | 'error' | 'result'>;

/** The rows of a finished job, or the typed error it ended with. */
export function dataOf<Row>(jobId: string, state: JobState): QueryData<Row> {
  if (state.status === 'FAILED' || state.status === 'CANCELLED') throw new QueryFailedError(jobId, state.status, state.error);
  if (state.status !== 'DONE') throw new SightlineError('INTERNAL_SERVER_ERROR', `the job is ${state.status}, not finished`);
  if (!state.result) throw new SightlineError('RESULT_EXPIRED', 'the job is done but its result is no longer kept: run the query again');
  const columns = state.result.columns.map((c) => ({ name: c.name, type: c.type }));
  return {
    jobId,
    rows: rowsToObjects<Row>(columns, state.result.rows),
    columns,
    rowCount: state.result.rowCount,
    truncated: state.result.truncated,
    cached: state.cached,
  };
}

export function createQueryJobs(http: RequestTransport, socket: SubscriptionTransport) {
  const runQuery = async (datasourceId: string, query: Query, options: RunQueryOptions = {}): Promise<QueryJob> =>
    (await http.request(RunQueryDocument, { datasourceId, query, refresh: options.refresh ?? false }, options.signal)).runQuery;

  const cancel = async (jobId: string): Promise<QueryJob> => (await http.request(CancelQueryJobDocument, { id: jobId })).cancelQueryJob;

  const watchJob = (jobId: string): EventStream<QueryJobEvent> => {
    const inner = socket.subscribe(WatchQueryJobDocument, { id: jobId });
    let ended = false;
    // The server ends the stream after the end state; stopping there too keeps this true
    // when an end arrives again after a reconnect.
    const stream: EventStream<QueryJobEvent> = {
      async next() {
        if (ended) return { done: true, value: undefined };
        const next = await inner.next();
        if (next.done) return next;
        if (isTerminal(next.value.queryJob.status)) {
          ended = true;
          await inner.return();
        }
        return { done: false, value: next.value.queryJob };
      },
      return: async () => {
        ended = true;
        await inner.return();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => stream,
    };
    return stream;
  };

  /** Waits for the job's end state; an abort stops waiting and cancels the job. */
  const waitForEnd = async (jobId: string, signal: AbortSignal | undefined): Promise<QueryJobEvent> => {
    const events = watchJob(jobId);
    const stop = () => void events.return();
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    try {
      for await (const event of events) if (isTerminal(event.status)) return event;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    if (signal?.aborted) {
      await cancel(jobId).catch(() => undefined);
      throw signal.reason;
    }
    throw new SightlineError('INTERNAL_SERVER_ERROR', 'the job stream ended before the job did');
  };

  const getData = async <Row = Record<string, unknown>>(datasourceId: string, query: Query, options: GetDataOptions = {}): Promise<QueryData<Row>> => {
    options.signal?.throwIfAborted();
    const job = await runQuery(datasourceId, query, options);
    const end = isTerminal(job.status) ? job : await waitForEnd(job.id, options.signal);
    return dataOf<Row>(job.id, end);
  };

  return { runQuery, cancel, watchJob, getData };
}
