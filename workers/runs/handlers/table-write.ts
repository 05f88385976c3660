/**
 * A table written through the API (by a script, or any client): the rows were staged by the
 * API as JSON lines in storage — a header line with the columns, then one array per row.
 */
import { createInterface } from 'node:readline';
import type { Db } from '../../../schema/database';
import { warehouseColumnSchema, type LoadMode, type WarehouseColumn, type WarehouseValue } from '../../../schema/domain/warehouse';
import type { PubSub } from '../../../infra/pubsub/pubsub';
import type { FileStorage } from '../../../infra/storage';
import type { Warehouse } from '../../warehouse';
import { announceDataChanged, datasourcesOverTable } from '../data-changes';
import { RunFailure, type RunHandler } from '../run-handler';
import { loadDatasource, loadFile } from './warehouse-datasource';

export function tableWriteHandler(deps: { db: Db; pubsub: PubSub; storage: FileStorage; warehouse: Warehouse }): RunHandler {
  return async ({ run, signal }) => {
    const { fileId, mode } = run.params as { fileId: string; mode: LoadMode };
    const ds = await loadDatasource(deps.db, run.organizationId, run.subjectId);
    const table = (ds.connection as { table: string }).table;
    const file = await loadFile(deps.db, run.organizationId, fileId);
    const lines = createInterface({ input: await deps.storage.get(file.storageKey), crlfDelay: Infinity })[Symbol.asyncIterator]();
    const head = await lines.next();
    if (head.done) throw new RunFailure('no rows were staged');
    const columns = (JSON.parse(head.value) as { columns: unknown }).columns as WarehouseColumn[];
    columns.forEach((c) => warehouseColumnSchema.parse(c));
    async function* batches(): AsyncIterable<WarehouseValue[][]> {
      let batch: WarehouseValue[][] = [];
      for (;;) {
        const next = await lines.next();
        if (next.done) break;
        if (next.value) batch.push(JSON.parse(next.value) as WarehouseValue[]);
        if (batch.length >= 5000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    }
    try {
      const result = await deps.warehouse.load({ organizationId: run.organizationId, table, columns, rows: batches(), mode, signal });
      await announceDataChanged(deps.db, deps.pubsub, run.organizationId, await datasourcesOverTable(deps.db, run.organizationId, table));
      return { rowsWritten: result.rowsWritten, message: `${result.rowsWritten} rows written to ${table}` };
    } finally {
      await deps.storage.delete(file.storageKey).catch(() => undefined);
    }
  };
}
