import type { WarehouseColumnType, WarehouseValue } from '../../schema/domain/warehouse';
import { quoteValue } from './csv-errors';

/**
 * One cell's text → its warehouse value, per column type. Converters return `INVALID` rather
 * than throw or allocate a result: they run for every cell of a gigabyte file. An empty field
 * is null in every type; surrounding blanks are ignored except in text.
 */
export const INVALID: unique symbol = Symbol('invalid CSV value');
export type Converted = WarehouseValue | typeof INVALID;
export type ValueConverter = (raw: string) => Converted;

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Up to 15 digits an integer is exact as a double: no BigInt needed. */
const SAFE_DIGITS = 15;

export function toText(raw: string): Converted {
  return raw === '' ? null : raw;
}

export function toBigint(raw: string): Converted {
  const t = raw.trim();
  if (t === '') return null;
  if (!INTEGER.test(t)) return INVALID;
  const digits = t.length - (t[0] === '+' || t[0] === '-' ? 1 : 0);
  if (digits <= SAFE_DIGITS) return String(Number(t) + 0);
  const big = BigInt(t);
  return big < INT64_MIN || big > INT64_MAX ? INVALID : big.toString();
}

export function toDouble(raw: string): Converted {
  const t = raw.trim();
  if (t === '') return null;
  if (!DECIMAL.test(t)) return INVALID;
  const n = Number(t);
  return Number.isFinite(n) ? n : INVALID;
}

/** Kept as written (the database keeps every digit); only its form is checked. */
export function toNumeric(raw: string): Converted {
  const t = raw.trim();
  if (t === '') return null;
  return DECIMAL.test(t) ? t : INVALID;
}

export function toBoolean(raw: string): Converted {
  const t = raw.trim().toLowerCase();
  if (t === '') return null;
  if (t === 'true' || t === 't' || t === '1') return true;
  if (t === 'false' || t === 'f' || t === '0') return false;
  return INVALID;
}

export function toDate(raw: string): Converted {
  const t = raw.trim();
  if (t === '') return null;
  const m = DATE.exec(t);
  return m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? t : INVALID;
}

/**
 * ISO 8601 date-time (`T` or a space), optional seconds, fraction and zone; a time without a zone
 * is UTC. The result is normalized to UTC (`…Z`) keeping up to microseconds, as PostgreSQL does.
 * A bare date is midnight UTC.
 */
export function toTimestamp(raw: string): Converted {
  const t = raw.trim();
  if (t === '') return null;
  const date = DATE.exec(t);
  if (date) return isCalendarDate(Number(date[1]), Number(date[2]), Number(date[3])) ? `${t}T00:00:00Z` : INVALID;
  const m = TIMESTAMP.exec(t);
  if (!m) return INVALID;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return INVALID;
  let offsetMinutes = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11] ?? '0');
    if (oh > 15 || om > 59) return INVALID;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute - offsetMinutes, second, 0);
  const iso = at.toISOString();
  // A shift out of years 0000–9999 gives an extended year PostgreSQL would not read back.
  if (iso.length !== 24) return INVALID;
  const fraction = m[7] ? `.${m[7].slice(0, 6)}` : '';
  return `${iso.slice(0, 19)}${fraction}Z`;
}

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

export const CONVERTERS: Readonly<Record<WarehouseColumnType, ValueConverter>> = {
  text: toText,
  bigint: toBigint,
  double: toDouble,
  numeric: toNumeric,
  boolean: toBoolean,
  date: toDate,
  timestamptz: toTimestamp,
};

/** Why `raw` is not a value of `type`, for the error message. */
export function invalidReason(type: WarehouseColumnType, raw: string): string {
  const q = quoteValue(raw);
  const t = raw.trim();
  switch (type) {
    case 'bigint':
      return INTEGER.test(t) ? `${q} is out of range for a 64-bit integer` : `${q} is not an integer`;
    case 'double':
      return DECIMAL.test(t) ? `${q} is out of range for a double` : `${q} is not a number`;
    case 'numeric':
      return `${q} is not a number`;
    case 'boolean':
      return `${q} is not a boolean (true/false, t/f, 1/0)`;
    case 'date':
      return DATE.test(t) ? `${q} is not a valid date` : `${q} is not a date (YYYY-MM-DD)`;
    case 'timestamptz':
      return `${q} is not a valid timestamp (ISO 8601, like 2024-01-31T13:45:00+01:00)`;
    case 'text':
      return `${q} is not text`;
  }
}
