import type { Json } from './json-path';

/** A cell before its column's type is known. */
export type FlatValue = string | number | boolean | null;

/** Where a row that is not an object (a bare number, string or array) lands. */
export const SCALAR_ROW_COLUMN = 'value';

/**
 * One JSON row as a flat record: nested objects become dot keys (`address.city`), arrays
 * (and anything left that is not a scalar) become their JSON text, since a table cell holds one
 * value. Keys keep the order they first appear in.
 */
export function flattenRecord(row: Json): Map<string, FlatValue> {
  const out = new Map<string, FlatValue>();
  if (row === null || typeof row !== 'object' || Array.isArray(row)) {
    out.set(SCALAR_ROW_COLUMN, toCell(row));
    return out;
  }
  walk(row, '', out);
  return out;
}

function walk(object: { [key: string]: Json }, prefix: string, out: Map<string, FlatValue>): void {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value, name, out);
    else out.set(name, toCell(value));
  }
}

function toCell(value: Json): FlatValue {
  if (value === null || typeof value !== 'object') return value;
  return JSON.stringify(value);
}
