import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../schema/database';
import { datasources, files } from '../../../schema/tables';
import { RunFailure } from '../run-handler';

export type DatasourceRow = typeof datasources.$inferSelect;

export async function loadDatasource(db: Db, organizationId: string, id: string): Promise<DatasourceRow> {
  const [row] = await db.select().from(datasources).where(and(eq(datasources.organizationId, organizationId), eq(datasources.id, id))).limit(1);
  if (!row) throw new RunFailure('the datasource was deleted');
  return row;
}

export async function loadFile(db: Db, organizationId: string, id: string): Promise<typeof files.$inferSelect> {
  const [row] = await db.select().from(files).where(and(eq(files.organizationId, organizationId), eq(files.id, id))).limit(1);
  if (!row) throw new RunFailure('the file was deleted');
  return row;
}
