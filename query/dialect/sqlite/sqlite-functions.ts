/**
 * Deterministic functions the SQLite connector registers on every connection, for what SQLite
 * lacks: Unicode case mapping (its UPPER/LOWER are ASCII-only), exact decimal arithmetic and
 * ROUND (its numbers are doubles: 0.1 + 0.2 must be 0.3 and ROUND(12.35, 1) must be 12.4, as
 * on the databases with DECIMAL), numbers as shortest text, and UTC offsets from the
 * platform's time-zone data (SQLite has none).
 *
 *   for (const [name, fn] of Object.entries(sqliteFunctions)) db.function(name, { deterministic: true }, fn);
 */
import { decimalAdd, decimalDiv, decimalMod, decimalMul, fromDecimal, plainDecimal, toDecimal, type Decimal } from '../../formula/numbers';
import { zoneSteps } from '../../time/zone';

export type SqliteValue = number | bigint | string | Buffer | null;

function toNumber(x: SqliteValue): number | null {
  if (x === null || x === undefined) return null;
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  const n = Number(typeof x === 'string' ? x : x.toString('utf8'));
  return Number.isFinite(n) ? n : null;
}

function toText(x: SqliteValue): string | null {
  if (x === null || x === undefined) return null;
  return typeof x === 'string' ? x : Buffer.isBuffer(x) ? x.toString('utf8') : String(x);
}

/**
 * Simple (one code point to one code point) case mapping, as PostgreSQL and MariaDB do it:
 * 'ß' stays 'ß' rather than becoming 'SS', so LENGTH(UPPER(s)) = LENGTH(s) everywhere.
 */
function mapCase(s: string, upper: boolean): string {
  const full = upper ? s.toUpperCase() : s.toLowerCase();
  if (full.length === s.length) return full;
  let out = '';
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += m.length === ch.length || [...m].length === 1 ? m : ch;
  }
  return out;
}

/**
 * Rounds half away from zero on the number's shortest decimal form, so 12.35 (stored as
 * 12.3499999…) rounds to 12.4 as the exact decimal 12.35 does on the other databases.
 */
export function roundDecimal(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const d = Math.trunc(digits);
  const text = plainDecimal(String(Math.abs(x)));
  const [int, frac = ''] = text.split('.');
  const digitsAll = BigInt(int! + frac);
  // value = digitsAll × 10^-frac.length; want round(value × 10^d).
  const shift = d - frac.length;
  let q: bigint;
  if (shift >= 0) q = digitsAll * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    q = digitsAll / div;
    if ((digitsAll % div) * 2n >= div) q += 1n;
  }
  const result = Number(`${q}e${-d}`);
  return x < 0 && result !== 0 ? -result : result;
}

type Operation = (a: Decimal, b: Decimal) => Decimal;

/**
 * Arithmetic on the exact decimals of the operands' shortest forms. Integers that stay safe
 * take the native path; NULL propagates; a zero divisor gives NULL.
 */
function arithmetic(op: Operation, native: (a: number, b: number) => number, zeroIsNull: boolean) {
  return (x: SqliteValue, y: SqliteValue): SqliteValue => {
    const a = toNumber(x), b = toNumber(y);
    if (a === null || b === null) return null;
    if (zeroIsNull && b === 0) return null;
    if (Number.isInteger(a) && Number.isInteger(b) && !zeroIsNull) {
      const r = native(a, b);
      if (Number.isSafeInteger(r)) return r;
    }
    if (!Number.isFinite(a) || !Number.isFinite(b)) return native(a, b);
    return fromDecimal(op(toDecimal(a), toDecimal(b)));
  };
}

/**
 * A sum of doubles back to the decimal it stands for: the exact sum of decimal inputs has few
 * digits, the double sum only differs past the 15th significant one.
 */
function cleanSum(x: SqliteValue): SqliteValue {
  const n = toNumber(x);
  if (n === null || typeof x === 'bigint' || Number.isInteger(n) || !Number.isFinite(n)) return x;
  return Number(n.toPrecision(15));
}

function utcOffset(ms: SqliteValue, zone: SqliteValue): number | null {
  const t = toNumber(ms);
  const z = toText(zone);
  if (t === null || z === null) return null;
  const { at, offsets } = zoneSteps(z);
  const s = t / 1000;
  let lo = 0, hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid]! <= s) lo = mid + 1;
    else hi = mid;
  }
  return offsets[lo]!;
}

/** Name → implementation, for better-sqlite3's `db.function(name, { deterministic: true }, fn)`. */
export const sqliteFunctions: Readonly<Record<string, (...args: SqliteValue[]) => SqliteValue>> = Object.freeze({
  sl_upper: (s: SqliteValue) => {
    const t = toText(s);
    return t === null ? null : mapCase(t, true);
  },
  sl_lower: (s: SqliteValue) => {
    const t = toText(s);
    return t === null ? null : mapCase(t, false);
  },
  sl_round: (x: SqliteValue, digits: SqliteValue) => {
    const n = toNumber(x);
    const d = toNumber(digits ?? 0);
    return n === null || d === null ? null : roundDecimal(n, d);
  },
  sl_number_text: (x: SqliteValue) => {
    const n = toNumber(x);
    if (n === null) return null;
    return typeof x === 'bigint' ? x.toString() : plainDecimal(String(n));
  },
  sl_utc_offset: utcOffset,
  sl_add: arithmetic((a, b) => decimalAdd(a, b, 1), (a, b) => a + b, false),
  sl_sub: arithmetic((a, b) => decimalAdd(a, b, -1), (a, b) => a - b, false),
  sl_mul: arithmetic(decimalMul, (a, b) => a * b, false),
  sl_div: arithmetic(decimalDiv, (a, b) => a / b, true),
  sl_mod: arithmetic(decimalMod, (a, b) => a % b, true),
  sl_sum: cleanSum,
});

/** What `registerSqliteFunctions` needs of a connection (better-sqlite3's Database fits). */
export interface SqliteFunctionHost {
  function(name: string, options: { deterministic: boolean }, fn: (...args: SqliteValue[]) => SqliteValue): unknown;
}

/** Registers every function of `sqliteFunctions` on a connection. */
export function registerSqliteFunctions(db: SqliteFunctionHost): void {
  for (const [name, fn] of Object.entries(sqliteFunctions)) db.function(name, { deterministic: true }, fn);
}
