/** Loads, dataflows and scripts: start them, follow them, and write warehouse tables. */
import {
  CancelRunDocument,
  GetRunDocument,
  RefreshDatasourceDocument,
  RunDataflowDocument,
  RunEventsDocument,
  RunTaskDocument,
  WriteWarehouseTableDocument,
  type LoadMode,
  type RunEventsSubscription,
  type RunFieldsFragment,
  type WarehouseColumnType,
} from './generated/graphql.js';
import type { EventStream, RequestTransport, SubscriptionTransport } from './transport/types.js';

export type Run = RunFieldsFragment;
export type RunEvent = RunEventsSubscription['runEvents'];
export type { WarehouseColumnType };

export interface WriteTableOptions {
  /** REPLACE (default) swaps the table in whole; APPEND adds rows with the same columns. */
  mode?: LoadMode;
}

export interface Runs {
  /** Writes rows into a warehouse table and resolves once they are queryable; live queries on it re-run. */
  writeTable(table: string, columns: { name: string; type: WarehouseColumnType }[], rows: (string | number | boolean | null)[][], options?: WriteTableOptions): Promise<{ datasourceId: string; run: Run }>;
  runTask(taskId: string): Promise<Run>;
  runDataflow(dataflowId: string): Promise<Run>;
  /** Fetches a REST source again, or reloads a file datasource. */
  refreshDatasource(datasourceId: string): Promise<Run>;
  cancel(runId: string): Promise<Run>;
  get(runId: string): Promise<(Run & { log: string }) | null>;
  /** States and log lines of a run until it ends. */
  events(runId: string): EventStream<RunEvent>;
  /** Resolves with the run once it has ended. */
  wait(runId: string): Promise<Run>;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export function createRuns(http: RequestTransport, socket: SubscriptionTransport): Runs {
  const events = (runId: string): EventStream<RunEvent> => {
    const stream = socket.subscribe(RunEventsDocument, { id: runId });
    const iterator: EventStream<RunEvent> = {
      async next() {
        const r = await stream.next();
        return r.done ? { done: true, value: undefined } : { done: false, value: r.value.runEvents };
      },
      return: async () => {
        await stream.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    } as EventStream<RunEvent>;
    return iterator;
  };
  return {
    async writeTable(table, columns, rows, options = {}) {
      const r = (await http.request(WriteWarehouseTableDocument, { input: { table, columns, rows, mode: options.mode ?? null } })).writeWarehouseTable;
      return { datasourceId: r.datasource.id, run: r.run };
    },
    runTask: async (id) => (await http.request(RunTaskDocument, { id })).runTask,
    runDataflow: async (id) => (await http.request(RunDataflowDocument, { id })).runDataflow,
    refreshDatasource: async (id) => (await http.request(RefreshDatasourceDocument, { id })).refreshDatasource,
    cancel: async (id) => (await http.request(CancelRunDocument, { id })).cancelRun,
    get: async (id) => (await http.request(GetRunDocument, { id })).run ?? null,
    events,
    async wait(runId) {
      const stream = events(runId);
      try {
        for await (const event of stream) if (event.run && TERMINAL.has(event.run.status)) return event.run;
      } finally {
        await stream.return?.();
      }
      const last = (await http.request(GetRunDocument, { id: runId })).run;
      if (!last) throw new Error(`run ${runId} not found`);
      return last;
    },
  };
}
