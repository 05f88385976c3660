/** Fetches a REST/JSON source through the address guard and replaces its table. */
import type { Db } from '../../../schema/database';
import type { SecretBox } from '../../../schema/secrets';
import type { PubSub } from '../../../infra/pubsub/pubsub';
import { fetchRestRows, parseRestSource, type AllowList } from '../../rest';
import { openSecrets } from '../../datasource-ops/source-resolver';
import type { Warehouse } from '../../warehouse';
import { announceDataChanged } from '../data-changes';
import type { RunHandler } from '../run-handler';
import { loadDatasource } from './warehouse-datasource';

export function restRefreshHandler(deps: { db: Db; pubsub: PubSub; secrets: SecretBox; warehouse: Warehouse; allowedHosts: AllowList; timeoutMs: number }): RunHandler {
  return async ({ run, signal, log }) => {
    const ds = await loadDatasource(deps.db, run.organizationId, run.subjectId);
    const { table, ...source } = ds.connection as { table: string } & Record<string, unknown>;
    const secrets = openSecrets(deps.secrets, ds.secrets);
    const fetched = await fetchRestRows(parseRestSource(source), { secretHeaders: secrets.headers ?? {}, allowedHosts: deps.allowedHosts, signal, timeoutMs: deps.timeoutMs });
    log(`${fetched.rows.length} rows from ${fetched.pages} page(s)${fetched.reachedMaxPages ? ' (stopped at maxPages)' : ''}`);
    if (fetched.columns.length === 0) return { rowsWritten: 0, message: 'the source returned no rows; the table is unchanged' };
    async function* batches() {
      for (let i = 0; i < fetched.rows.length; i += 5000) yield fetched.rows.slice(i, i + 5000);
    }
    const result = await deps.warehouse.load({ organizationId: run.organizationId, table, columns: fetched.columns, rows: batches(), mode: 'replace', signal });
    await announceDataChanged(deps.db, deps.pubsub, run.organizationId, [ds.id]);
    return { rowsWritten: result.rowsWritten, message: `${result.rowsWritten} rows loaded into ${table}` };
  };
}
