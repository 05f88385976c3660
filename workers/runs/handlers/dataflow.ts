/**
 * A dataflow run: the dataflow's JSON query on its source datasource, through the same compiler
 * and connectors as dashboards (read-only, cancellable), its result written to the target table.
 */
import { and, eq } from 'drizzle-orm';
import { compileQuery } from '../../../query';
import type { Db } from '../../../schema/database';
import { dialectOf } from '../../../schema/domain/dialect';
import { dataflows } from '../../../schema/tables';
import type { PubSub } from '../../../infra/pubsub/pubsub';
import type { RunJournal, RunRow } from '../../../infra/jobs/run-journal';
import { TERMINAL_RUN_STATUSES } from '../../../schema/domain/run';
import type { SourceResolver } from '../../datasource-ops/source-resolver';
import { executeCompiled } from '../../query-runner/execute-query';
import type { Warehouse } from '../../warehouse';
import { announceDataChanged, datasourcesOverTable } from '../data-changes';
import { RunFailure, type RunHandler } from '../run-handler';
import { warehouseColumnsOf, warehouseValue } from './result-columns';

export interface DataflowDeps {
  db: Db;
  pubsub: PubSub;
  sources: SourceResolver;
  warehouse: Warehouse;
  statementTimeoutMs: number;
  /** The most rows one dataflow run may move. */
  maxRows: number;
  runs: RunJournal;
}

async function untilEnded(runs: RunJournal, runId: string, signal: AbortSignal): Promise<RunRow | null> {
  for (;;) {
    const row = await runs.get(runId);
    if (!row || TERMINAL_RUN_STATUSES.includes(row.status) || signal.aborted) return row;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function dataflowHandler(deps: DataflowDeps): RunHandler {
  return async ({ run, signal, log }) => {
    const [flow] = await deps.db
      .select()
      .from(dataflows)
      .where(and(eq(dataflows.organizationId, run.organizationId), eq(dataflows.id, run.subjectId)))
      .limit(1);
    if (!flow) throw new RunFailure('the dataflow was deleted');
    const source = await deps.sources.resolve(run.organizationId, flow.sourceDatasourceId);
    const compiled = compileQuery({
      dialect: dialectOf(source.row.kind),
      source: source.row.source,
      columns: await source.columns(),
      formulas: source.row.formulas,
      query: flow.query,
      maxRows: deps.maxRows,
    });
    log(`reading from "${source.row.name}"`);
    const result = await executeCompiled(source.connector, compiled, { signal, timeoutMs: deps.statementTimeoutMs });
    if (result.truncated) throw new RunFailure(`the query returns more than ${deps.maxRows} rows, the most a dataflow moves at once: add filters or a limit`);
    log(`${result.rowCount} rows read; writing "${flow.targetTable}" (${flow.mode})`);
    const columns = warehouseColumnsOf(result.columns, result.rows);
    async function* batches() {
      for (let i = 0; i < result.rows.length; i += 5000) yield result.rows.slice(i, i + 5000).map((r) => r.map(warehouseValue));
    }
    const loaded = await deps.warehouse.load({ organizationId: run.organizationId, table: flow.targetTable, columns, rows: batches(), mode: flow.mode, signal });
    await announceDataChanged(deps.db, deps.pubsub, run.organizationId, await datasourcesOverTable(deps.db, run.organizationId, flow.targetTable));
    log(`${loaded.rowsWritten} rows written`);
    const message = `${loaded.rowsWritten} rows written to ${flow.targetTable}`;
    if (!flow.afterTaskId) return { rowsWritten: loaded.rowsWritten, message };
    // The script step: a run of its own (history, log, cancel), followed to its end.
    const step = await deps.runs.start({ organizationId: run.organizationId, kind: 'script', subjectId: flow.afterTaskId, params: { kind: 'script' }, trigger: 'dataflow', requestedBy: run.requestedBy });
    log(`script step started (run ${step.id})`);
    const ended = await untilEnded(deps.runs, step.id, signal);
    if (signal.aborted) await deps.runs.cancel(step.id, 'the dataflow was cancelled');
    if (!ended || ended.status !== 'succeeded') throw new RunFailure(`${message}, but the script step ${ended?.status ?? 'did not finish'}: ${ended?.message ?? ''}`.trim());
    return { rowsWritten: loaded.rowsWritten, message: `${message}; script step: ${ended.message ?? 'succeeded'}` };
  };
}
