import type { Introspection, IntrospectedTable } from '../types';
import { sqliteFieldType } from './sqlite-types';

/** One query over the schema table and table_info, so it runs like any other SELECT. */
export const SQLITE_COLUMNS_SQL = `
SELECT m.name, m.type, p.name, p.type
FROM sqlite_schema AS m
JOIN pragma_table_info(m.name) AS p
WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, p.cid`;

export function sqliteIntrospection(rows: unknown[][]): Introspection {
  const tables = new Map<string, IntrospectedTable>();
  for (const [name, type, column, declared] of rows as [string, string, string, string | null][]) {
    let table = tables.get(name);
    if (!table) {
      table = { schema: null, name, kind: type === 'view' ? 'view' : 'table', columns: [] };
      tables.set(name, table);
    }
    table.columns.push({ name: column, nativeType: declared ?? '', type: sqliteFieldType(declared) });
  }
  return { tables: [...tables.values()] };
}
