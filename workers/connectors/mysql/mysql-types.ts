import type { FieldType } from '../../../query/types';

const NUMBER = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'double',
  'double precision',
  'real',
  'year',
]);
const STRING = new Set([
  'char',
  'varchar',
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
  'enum',
  'set',
  'uuid',
  'inet4',
  'inet6',
  'json',
]);

/**
 * Maps a MySQL/MariaDB column type (`COLUMN_TYPE`, e.g. `tinyint(1) unsigned`, `decimal(10,2)`)
 * to a platform type. `tinyint(1)` is the conventional boolean; `bit(1)` too.
 */
export function mysqlFieldType(columnType: string): FieldType {
  const t = columnType.toLowerCase().trim();
  if (/^(tinyint\(1\)|bool|boolean|bit\(1\))(\s|$)/.test(t)) return 'boolean';
  const base = t.replace(/\(.*$/, '').replace(/\s+(unsigned|signed|zerofill).*$/, '').trim();
  if (NUMBER.has(base)) return 'number';
  if (STRING.has(base)) return 'string';
  if (base === 'date') return 'date';
  if (base === 'datetime' || base === 'timestamp') return 'timestamp';
  return 'string';
}

/**
 * Result metadata carries a protocol type code, not the declared type: its names, and the
 * display length that tells `tinyint(1)` apart.
 */
const PROTOCOL_TYPES: Record<number, string> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  6: 'null',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  14: 'date',
  15: 'varchar',
  16: 'bit',
  245: 'json',
  246: 'decimal',
  247: 'enum',
  248: 'set',
  249: 'tinyblob',
  250: 'mediumblob',
  251: 'longblob',
  252: 'blob',
  253: 'varchar',
  254: 'char',
  255: 'geometry',
};

const BINARY_CHARSET = 63;
const ENUM_FLAG = 256;
const SET_FLAG = 2048;

export interface MysqlFieldInfo {
  columnType: number;
  columnLength: number;
  characterSet: number;
  flags: number;
}

/** The native type name of a result column, as near to its declaration as metadata allows. */
export function mysqlNativeTypeOfField(field: MysqlFieldInfo): string {
  if (field.flags & ENUM_FLAG) return 'enum';
  if (field.flags & SET_FLAG) return 'set';
  const name = PROTOCOL_TYPES[field.columnType] ?? `type ${field.columnType}`;
  if (name === 'tinyint' && field.columnLength === 1) return 'tinyint(1)';
  if (name === 'bit' && field.columnLength === 1) return 'bit(1)';
  if (field.characterSet === BINARY_CHARSET && (name === 'varchar' || name === 'char')) {
    return name === 'char' ? 'binary' : 'varbinary';
  }
  if (field.characterSet === BINARY_CHARSET && name === 'blob') return 'blob';
  if (name === 'blob') return 'text';
  return name;
}
