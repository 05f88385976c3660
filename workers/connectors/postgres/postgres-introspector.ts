import type pg from 'pg';
import type { Introspection, IntrospectedTable } from '../types';
import { postgresFieldType } from './postgres-types';

/**
 * pg_catalog rather than information_schema: it also lists materialized views and tells enums
 * and domains apart, and it exists on Redshift too. Only relations the user may read.
 */
const COLUMNS_SQL = `
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       c.relkind AS relkind,
       a.attname AS column_name,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
            ELSE format_type(a.atttypid, a.atttypmod) END AS native_type,
       t.typtype AS typtype
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%'
  AND n.nspname NOT LIKE 'pg\\_temp%'
  AND has_table_privilege(c.oid, 'SELECT')
ORDER BY n.nspname, c.relname, a.attnum`;

type ColumnRow = [schema: string, table: string, relkind: string, column: string, nativeType: string, typtype: string];

export async function introspectPostgres(client: pg.ClientBase): Promise<Introspection> {
  const result = await client.query<ColumnRow>({ text: COLUMNS_SQL, rowMode: 'array' });
  const tables = new Map<string, IntrospectedTable>();
  for (const [schema, name, relkind, column, nativeType, typtype] of result.rows) {
    const key = JSON.stringify([schema, name]);
    let table = tables.get(key);
    if (!table) {
      table = { schema, name, kind: relkind === 'v' || relkind === 'm' ? 'view' : 'table', columns: [] };
      tables.set(key, table);
    }
    table.columns.push({ name: column, nativeType, type: postgresFieldType(nativeType, typtype === 'e') });
  }
  return { tables: [...tables.values()] };
}

/** Native names of the type oids a result reported, for describing a custom SELECT. */
export async function postgresTypeNames(
  client: pg.ClientBase,
  oids: readonly number[],
): Promise<Map<number, { nativeType: string; isEnum: boolean }>> {
  const names = new Map<number, { nativeType: string; isEnum: boolean }>();
  const unique = [...new Set(oids)];
  if (unique.length === 0) return names;
  const placeholders = unique.map((_, i) => `$${i + 1}`).join(', ');
  const result = await client.query<[string, string, string]>({
    text: `SELECT oid::text, format_type(oid, NULL), typtype FROM pg_catalog.pg_type WHERE oid IN (${placeholders})`,
    values: unique,
    rowMode: 'array',
  });
  for (const [oid, nativeType, typtype] of result.rows) names.set(Number(oid), { nativeType, isEnum: typtype === 'e' });
  return names;
}
