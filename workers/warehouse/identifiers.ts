import type { WarehouseColumnType } from '../../schema/domain/warehouse';

/** Every identifier is quoted: names come from users' files and may hold anything. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error('identifier contains NUL');
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

export const SQL_TYPES: Record<WarehouseColumnType, string> = {
  text: 'text',
  bigint: 'bigint',
  double: 'double precision',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamptz: 'timestamp with time zone',
};

/** From `format_type` back to the warehouse's type names (for appends and listings). */
export function warehouseTypeOf(nativeType: string): WarehouseColumnType {
  const found = (Object.entries(SQL_TYPES) as [WarehouseColumnType, string][]).find(([, sql]) => sql === nativeType);
  if (found) return found[0];
  return nativeType.startsWith('numeric') ? 'numeric' : 'text';
}

/**
 * Column names as PostgreSQL will keep them: at most 63 bytes, unique, never empty, so a file
 * with a 100-character header or two "Total" columns still loads.
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    let base = truncateBytes(raw.trim() || `column_${i + 1}`, 58);
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    seen.add(name.toLowerCase());
    return name;
  });
}

function truncateBytes(s: string, max: number): string {
  let out = s;
  while (Buffer.byteLength(out) > max) out = out.slice(0, -1);
  return out;
}
