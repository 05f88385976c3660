import type { WarehouseColumn, WarehouseColumnType, WarehouseValue } from '../../schema/domain/warehouse';
import type { FlatValue } from './flatten-record';
import { isIsoDate, normalizeIsoDateTime } from './iso-dates';

export interface WarehouseTable {
  columns: WarehouseColumn[];
  rows: WarehouseValue[][];
}

type ValueKind = 'boolean' | 'integer' | 'fraction' | 'date' | 'timestamp' | 'text';

function kindOf(value: string | number | boolean): ValueKind {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'integer' : 'fraction';
  if (isIsoDate(value)) return 'date';
  return normalizeIsoDateTime(value) === undefined ? 'text' : 'timestamp';
}

/**
 * The narrowest type every non-null value fits. Integers and fractions together are doubles;
 * any other mix (dates with date-times included) is text, as is a column of nulls only.
 */
export function inferColumnType(values: Iterable<FlatValue>): WarehouseColumnType {
  const kinds = new Set<ValueKind>();
  for (const value of values) {
    if (value !== null) kinds.add(kindOf(value));
  }
  if (kinds.size === 1) {
    const [only] = kinds;
    switch (only) {
      case 'boolean':
        return 'boolean';
      case 'integer':
        return 'bigint';
      case 'fraction':
        return 'double';
      case 'date':
        return 'date';
      case 'timestamp':
        return 'timestamptz';
      default:
        return 'text';
    }
  }
  if (kinds.size === 2 && kinds.has('integer') && kinds.has('fraction')) return 'double';
  return 'text';
}

/** A cell in its column's type; the inference guarantees every non-null value converts. */
export function toWarehouseValue(value: FlatValue, type: WarehouseColumnType): WarehouseValue {
  if (value === null) return null;
  if (type === 'text') return typeof value === 'string' ? value : String(value);
  if (type === 'timestamptz' && typeof value === 'string') return normalizeIsoDateTime(value) ?? value;
  return value;
}

/**
 * Turns flat records into a typed table: the columns are the union of the records' keys in
 * the order they were first seen, and a record without a key has null there. Names stay the
 * JSON keys: the warehouse writer makes them fit PostgreSQL (length, uniqueness).
 */
export function buildWarehouseTable(records: readonly Map<string, FlatValue>[]): WarehouseTable {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of record.keys()) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const types = keys.map((key) => inferColumnType(records.map((record) => record.get(key) ?? null)));
  return {
    columns: keys.map((name, i) => ({ name, type: types[i] as WarehouseColumnType })),
    rows: records.map((record) => keys.map((key, i) => toWarehouseValue(record.get(key) ?? null, types[i] as WarehouseColumnType))),
  };
}
