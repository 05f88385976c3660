import type { WarehouseColumnType } from '../../schema/domain/warehouse';
import { INVALID, toDate, toTimestamp } from './csv-values';

/** What a single cell looks like; `empty` decides nothing. */
export type CellKind = 'empty' | 'bigint' | 'double' | 'boolean' | 'date' | 'timestamptz' | 'text';

const INTEGER = /^[+-]?(?:0|[1-9]\d*)$/;
const DECIMAL = /^[+-]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT64_MAX_DIGITS = '9223372036854775807';

/**
 * Integers with a leading zero (postcodes, account numbers) stay text: as numbers they would
 * lose the zero. So do integers beyond 64 bits: as doubles they would lose digits. `numeric` is
 * never guessed, only chosen by the user.
 */
export function classifyCell(raw: string): CellKind {
  const t = raw.trim();
  if (t === '') return 'empty';
  if (INTEGER.test(t)) return fitsInt64(t) ? 'bigint' : 'text';
  if (DECIMAL.test(t)) return Number.isFinite(Number(t)) ? 'double' : 'text';
  const first = t.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) {
    if (t.length === 10) return toDate(t) === INVALID ? 'text' : 'date';
    return toTimestamp(t) === INVALID ? 'text' : 'timestamptz';
  }
  const lower = t.toLowerCase();
  if (lower === 'true' || lower === 'false' || lower === 't' || lower === 'f') return 'boolean';
  return 'text';
}

function fitsInt64(t: string): boolean {
  const digits = t[0] === '+' || t[0] === '-' ? t.slice(1) : t;
  if (digits.length !== INT64_MAX_DIGITS.length) return digits.length < INT64_MAX_DIGITS.length;
  // -9223372036854775808 is the one value whose digits exceed the maximum and still fit.
  const limit = t[0] === '-' ? '9223372036854775808' : INT64_MAX_DIGITS;
  return digits <= limit;
}

/** The narrowest type two kinds of cells share: integers widen to double, dates to timestamps. */
export function mergeKinds(a: CellKind, b: CellKind): CellKind {
  if (a === b || b === 'empty') return a;
  if (a === 'empty') return b;
  if ((a === 'bigint' && b === 'double') || (a === 'double' && b === 'bigint')) return 'double';
  if ((a === 'date' && b === 'timestamptz') || (a === 'timestamptz' && b === 'date')) return 'timestamptz';
  return 'text';
}

export function typeOfKind(kind: CellKind): WarehouseColumnType {
  return kind === 'empty' ? 'text' : kind;
}

/** Column types over sample records (each of `width` fields); an all-empty column is text. */
export function inferColumnTypes(records: readonly (readonly string[])[], width: number): WarehouseColumnType[] {
  const kinds: CellKind[] = Array.from({ length: width }, () => 'empty');
  for (const record of records) {
    for (let i = 0; i < width; i++) {
      if (kinds[i] === 'text') continue;
      kinds[i] = mergeKinds(kinds[i]!, classifyCell(record[i] ?? ''));
    }
  }
  return kinds.map(typeOfKind);
}
