import type { OutputColumn } from '../../../query/types';
import type { WarehouseColumn, WarehouseColumnType, WarehouseValue } from '../../../schema/domain/warehouse';

/** A query result's columns as warehouse columns; numbers stay exact integers when they all are. */
export function warehouseColumnsOf(columns: readonly OutputColumn[], rows: readonly unknown[][]): WarehouseColumn[] {
  return columns.map((c, i) => ({ name: c.name, type: typeOf(c.type, rows, i) }));
}

function typeOf(type: OutputColumn['type'], rows: readonly unknown[][], i: number): WarehouseColumnType {
  switch (type) {
    case 'string':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamptz';
    case 'number':
      return rows.every((r) => r[i] === null || (typeof r[i] === 'number' && Number.isSafeInteger(r[i])) || (typeof r[i] === 'string' && /^-?\d+$/.test(r[i] as string))) ? 'bigint' : 'double';
  }
}

export function warehouseValue(v: unknown): WarehouseValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}
