import type mysql from 'mysql2';
import type { Introspection, IntrospectedTable } from '../types';
import { query } from './mysql-driver';
import { mysqlFieldType } from './mysql-types';

/** The datasource's own database only: in MySQL a database is what other servers call a schema. */
const COLUMNS_SQL = `
SELECT c.TABLE_NAME, t.TABLE_TYPE, c.COLUMN_NAME, c.COLUMN_TYPE
FROM information_schema.COLUMNS c
JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
WHERE c.TABLE_SCHEMA = DATABASE()
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`;

type ColumnRow = [table: string, tableType: string, column: string, columnType: string];

export async function introspectMysql(conn: mysql.PoolConnection): Promise<Introspection> {
  const rows = await query<ColumnRow[]>(conn, COLUMNS_SQL);
  const tables = new Map<string, IntrospectedTable>();
  for (const [name, tableType, column, columnType] of rows) {
    let table = tables.get(name);
    if (!table) {
      table = { schema: null, name, kind: /VIEW/i.test(tableType) ? 'view' : 'table', columns: [] };
      tables.set(name, table);
    }
    table.columns.push({ name: column, nativeType: columnType, type: mysqlFieldType(columnType) });
  }
  return { tables: [...tables.values()] };
}
