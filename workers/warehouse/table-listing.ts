import type { WarehouseTable } from './warehouse';
import { warehouseTypeOf } from './identifiers';
import type { SqlSession } from './sql-session';

const TABLES_SQL = `
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname NOT LIKE '\\_load\\_%'
  AND ($2::text IS NULL OR c.relname = $2)
ORDER BY c.relname, a.attnum`;

/** The organization's tables (one when `table` is given), staging tables left out. */
export async function readTables(session: Pick<SqlSession, 'query'>, schema: string, table: string | null = null): Promise<WarehouseTable[]> {
  const rows = (await session.query(TABLES_SQL, [schema, table])) as [string, string, string][];
  const tables = new Map<string, WarehouseTable>();
  for (const [name, column, nativeType] of rows) {
    let t = tables.get(name);
    if (!t) tables.set(name, (t = { name, columns: [] }));
    t.columns.push({ name: column, type: warehouseTypeOf(nativeType) });
  }
  return [...tables.values()];
}
