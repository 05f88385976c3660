/**
 * A query kept fresh: its result now, then again whenever the datasource's data changes
 * (notifyDataChanged) or `refreshSeconds` pass. The stream stays open until `return()`.
 */
import { QueryFailedError } from './errors.js';
import { LiveQueryDocument, type QueryJobStatus } from './generated/graphql.js';
import type { Query, ResultColumn } from './query-language.js';
import { rowsToObjects } from './rows.js';
import { mapStream } from './transport/event-stream.js';
import type { EventStream, SubscriptionTransport } from './transport/types.js';

export interface LiveQueryOptions {
  /** Also re-run (bypassing the cache) this often; at least 5. */
  refreshSeconds?: number;
}

/**
 * A state of the current run: QUEUED and RUNNING while it works, then DONE with `rows` and
 * `columns`, or FAILED/CANCELLED with `error`. After a reconnect the current result comes again.
 */
export interface LiveQueryEvent<Row> {
  jobId: string;
  status: QueryJobStatus;
  cached: boolean;
  progress: number;
  rows?: Row[];
  columns?: ResultColumn[];
  truncated?: boolean;
  error?: QueryFailedError;
}

export function createLiveQuery(socket: SubscriptionTransport) {
  return function liveQuery<Row = Record<string, unknown>>(datasourceId: string, query: Query, options: LiveQueryOptions = {}): EventStream<LiveQueryEvent<Row>> {
    const events = socket.subscribe(LiveQueryDocument, { datasourceId, query, refreshSeconds: options.refreshSeconds ?? null });
    return mapStream(events, ({ liveQuery: e }): LiveQueryEvent<Row> => {
      const base = { jobId: e.jobId, status: e.status, cached: e.cached, progress: e.progress };
      if ((e.status === 'FAILED' || e.status === 'CANCELLED')) return { ...base, error: new QueryFailedError(e.jobId, e.status, e.error) };
      if (e.status !== 'DONE' || !e.result) return base;
      const columns = e.result.columns.map((c) => ({ name: c.name, type: c.type }));
      return { ...base, columns, rows: rowsToObjects<Row>(columns, e.result.rows), truncated: e.result.truncated };
    });
  };
}
