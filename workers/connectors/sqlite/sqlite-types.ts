import type { FieldType } from '../../../query/types';

/**
 * SQLite has type affinities, not types: the declared name is all there is. Names follow the
 * affinity rules (anything with INT is an integer), with the usual date and boolean
 * conventions, which the sample database and most applications use.
 */
export function sqliteFieldType(declared: string | null): FieldType {
  const t = (declared ?? '').toUpperCase().trim();
  if (t === '') return 'string';
  if (/^BOOL/.test(t)) return 'boolean';
  if (t === 'DATE') return 'date';
  if (/DATETIME|TIMESTAMP/.test(t)) return 'timestamp';
  if (t.includes('INT')) return 'number';
  if (/CHAR|CLOB|TEXT|UUID|ENUM/.test(t)) return 'string';
  if (t.includes('BLOB')) return 'string';
  if (/REAL|FLOA|DOUB|DEC|NUM|MONEY/.test(t)) return 'number';
  return 'string';
}

/** For a computed column without a declared type: the storage class of a sample value. */
export function sqliteFieldTypeOfValue(value: unknown): FieldType {
  return typeof value === 'number' || typeof value === 'bigint' ? 'number' : 'string';
}
