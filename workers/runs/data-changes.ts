/**
 * After a load, every datasource over the loaded table gets a new data version: cached
 * results keyed by the old one are never served again, and live queries re-run.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../schema/database';
import { DATASOURCE_CHANGES_TOPIC, datasourceTopic, type DatasourceChanged } from '../../schema/jobs/query-job-contract';
import { datasources } from '../../schema/tables';
import type { PubSub } from '../../infra/pubsub/pubsub';

export async function announceDataChanged(db: Db, pubsub: PubSub, organizationId: string, datasourceIds: readonly string[]): Promise<void> {
  if (datasourceIds.length === 0) return;
  const rows = await db
    .update(datasources)
    .set({ dataVersion: sql`${datasources.dataVersion} + 1` })
    .where(and(eq(datasources.organizationId, organizationId), inArray(datasources.id, [...datasourceIds])))
    .returning({ id: datasources.id, dataVersion: datasources.dataVersion });
  for (const row of rows) {
    const change: DatasourceChanged = { datasourceId: row.id, dataVersion: row.dataVersion };
    const message = JSON.stringify(change);
    await pubsub.publish(DATASOURCE_CHANGES_TOPIC, message);
    await pubsub.publish(datasourceTopic(row.id), message);
  }
}

/** The datasources reading a warehouse table of the organization (any warehouse-backed kind). */
export async function datasourcesOverTable(db: Db, organizationId: string, table: string): Promise<string[]> {
  const rows = await db
    .select({ id: datasources.id })
    .from(datasources)
    .where(and(eq(datasources.organizationId, organizationId), inArray(datasources.kind, ['warehouse', 'file', 'rest']), sql`${datasources.connection}->>'table' = ${table}`));
  return rows.map((r) => r.id);
}
