import type { FieldType } from '../../../query/types';

const NUMBER = new Set([
  'smallint',
  'integer',
  'bigint',
  'int2',
  'int4',
  'int8',
  'numeric',
  'decimal',
  'real',
  'double precision',
  'float4',
  'float8',
  'oid',
]);
const STRING = new Set(['text', 'character varying', 'varchar', 'character', 'char', 'bpchar', 'name', 'uuid', 'citext']);
const TIMESTAMP = new Set([
  'timestamp without time zone',
  'timestamp with time zone',
  'timestamp',
  'timestamptz',
]);

/**
 * Maps a PostgreSQL/Redshift type name (as `format_type` or information_schema spell it, with
 * any length or precision) to a platform type. Anything without a natural counterpart (json,
 * intervals, arrays, money) is read as its text form, so it is a string.
 */
export function postgresFieldType(nativeType: string, isEnum = false): FieldType {
  if (isEnum) return 'string';
  const base = nativeType.toLowerCase().replace(/\(.*?\)/g, '').replace(/\s+/g, ' ').trim();
  if (base.endsWith('[]')) return 'string';
  if (NUMBER.has(base)) return 'number';
  if (STRING.has(base)) return 'string';
  if (base === 'boolean' || base === 'bool') return 'boolean';
  if (base === 'date') return 'date';
  if (TIMESTAMP.has(base)) return 'timestamp';
  return 'string';
}
