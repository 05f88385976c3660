/**
 * Loads an uploaded CSV into its datasource's table: settings detected from the file's head
 * unless the user set them, column types as the user overrode them, rows streamed from storage
 * into the warehouse (memory stays flat whatever the file size), the previous table kept when
 * anything fails.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../../schema/database';
import type { FileConnection } from '../../../schema/domain/datasource';
import type { LoadMode } from '../../../schema/domain/warehouse';
import { datasources } from '../../../schema/tables';
import type { PubSub } from '../../../infra/pubsub/pubsub';
import type { FileStorage } from '../../../infra/storage';
import { inspectCsv, readCsv } from '../../files';
import type { Warehouse } from '../../warehouse';
import { announceDataChanged } from '../data-changes';
import { RunFailure, type RunHandler } from '../run-handler';
import { storageSource } from './storage-source';
import { loadDatasource, loadFile } from './warehouse-datasource';

export function fileLoadHandler(deps: { db: Db; pubsub: PubSub; storage: FileStorage; warehouse: Warehouse }): RunHandler {
  return async ({ run, signal, log }) => {
    if (run.params.kind !== 'file_load') throw new RunFailure('not a file load');
    const { fileId, mode } = run.params as { fileId: string; mode: LoadMode };
    const ds = await loadDatasource(deps.db, run.organizationId, run.subjectId);
    const conn = ds.connection as FileConnection;
    const file = await loadFile(deps.db, run.organizationId, fileId);
    const open = storageSource(deps.storage, file.storageKey);
    const sameFile = conn.fileId === fileId;
    const detected = await inspectCsv(open);
    // Settings the user chose for this file win; a new file is detected afresh.
    const encoding = (sameFile && conn.encoding) || detected.encoding;
    const delimiter = (sameFile && conn.delimiter) || detected.delimiter;
    const hasHeader = sameFile && conn.hasHeader !== undefined ? conn.hasHeader : detected.hasHeader;
    const overrides = conn.columns && conn.columns.length === detected.columns.length ? conn.columns : null;
    const columns = overrides ?? detected.columns;
    log(`${file.name}: ${encoding}, delimiter ${JSON.stringify(delimiter)}, ${hasHeader ? 'with' : 'without'} a header, ${columns.length} columns (${columns.map((c) => `${c.name} ${c.type}`).join(', ')})`);
    const reader = readCsv(open, { encoding, delimiter, hasHeader, columns, signal, maxBadRows: 0 });
    let lastLogged = 0;
    const result = await deps.warehouse.load({
      organizationId: run.organizationId,
      table: conn.table,
      columns,
      rows: reader,
      mode,
      signal,
      onProgress: (n) => {
        if (n - lastLogged >= 100_000) {
          lastLogged = n;
          log(`${n} rows loaded`);
        }
      },
    });
    const settled: FileConnection = { ...conn, fileId, fileName: file.name, encoding, delimiter, hasHeader, columns };
    await deps.db.update(datasources).set({ connection: settled }).where(eq(datasources.id, ds.id));
    await announceDataChanged(deps.db, deps.pubsub, run.organizationId, [ds.id]);
    return { rowsWritten: result.rowsWritten, message: `${result.rowsWritten} rows ${mode === 'append' ? 'appended to' : 'loaded into'} ${conn.table}` };
  };
}
