import type { WarehouseColumnType } from '../../schema/domain/warehouse';
import { classifyCell, inferColumnTypes } from './type-inference';

/**
 * Whether the first record names the columns. It must look like names: no typed value (number,
 * date, boolean) among its fields. Then it needs evidence: a column whose values below are typed
 * while its first field is a name (blank and repeated names are allowed then, and fixed by
 * `columnNames`). When every column is text there is no such evidence, and the first record
 * counts as a header only if its fields are all filled in, distinct, and none occurs again below
 * in its own column (data repeats itself; names do not).
 */
export function detectHeader(records: readonly (readonly string[])[], width: number): boolean {
  const first = records[0];
  if (!first) return false;
  const fields = Array.from({ length: width }, (_, i) => (first[i] ?? '').trim());
  if (!looksLikeNames(fields)) return false;
  const body = records.slice(1);
  const bodyTypes = inferColumnTypes(body, width);
  if (bodyTypes.some((type, i) => isTyped(type) && fields[i] !== '')) return true;
  if (bodyTypes.some(isTyped)) return false;
  if (fields.some((f) => f === '') || new Set(fields.map((f) => f.toLowerCase())).size < fields.length) return false;
  return fields.every((name, i) => !body.some((record) => (record[i] ?? '').trim() === name));
}

function looksLikeNames(fields: readonly string[]): boolean {
  const named = fields.filter((f) => f !== '');
  return named.length > 0 && named.every((f) => classifyCell(f) === 'text');
}

function isTyped(type: WarehouseColumnType): boolean {
  return type !== 'text';
}
