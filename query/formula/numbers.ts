/** Exact decimal text helpers: numbers written in formulas and queries stay exact. */

/** `1.5e3` → `1500`, `.5` → `0.5`, `-0012.50` → `-12.50`: plain decimal notation, no exponent. */
export function plainDecimal(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  const sign = m[1] === '-' ? '-' : '';
  let int = m[2] ?? '', frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0);
  if (exp > 0) {
    const moved = frac.slice(0, exp).padEnd(exp, '0');
    int += moved;
    frac = frac.slice(exp);
  } else if (exp < 0) {
    const n = -exp;
    const padded = int.padStart(n + 1, '0');
    frac = padded.slice(padded.length - n) + frac;
    int = padded.slice(0, padded.length - n);
  }
  int = int.replace(/^0+(?=\d)/, '') || '0';
  const body = frac.length > 0 ? `${int}.${frac}` : int;
  return /^0(\.0*)?$/.test(body) ? body : sign + body;
}

/** Digits after the decimal point of a plain decimal. */
export function decimalScale(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** A JS number as a plain decimal (shortest round-trip digits, no exponent). */
export function numberToDecimal(n: number): string {
  return plainDecimal(String(n));
}

/** An exact decimal: `digits × 10^-scale`. */
export interface Decimal {
  digits: bigint;
  scale: number;
}

/** The exact decimal of a number's shortest round-trip form (what was written: 0.1 is 1/10). */
export function toDecimal(n: number): Decimal {
  const text = plainDecimal(String(n));
  const dot = text.indexOf('.');
  if (dot < 0) return { digits: BigInt(text), scale: 0 };
  return { digits: BigInt(text.slice(0, dot) + text.slice(dot + 1)), scale: text.length - dot - 1 };
}

export function fromDecimal(d: Decimal): number {
  return Number(`${d.digits}e${-d.scale}`);
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * 10n ** BigInt(scale - a.scale), b.digits * 10n ** BigInt(scale - b.scale), scale];
}

export function decimalAdd(a: Decimal, b: Decimal, sign: 1 | -1): Decimal {
  const [x, y, scale] = align(a, b);
  return { digits: sign === 1 ? x + y : x - y, scale };
}

export function decimalMul(a: Decimal, b: Decimal): Decimal {
  return { digits: a.digits * b.digits, scale: a.scale + b.scale };
}

/** Truncated remainder: the dividend's sign, as SQL's MOD. */
export function decimalMod(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { digits: x % y, scale };
}

/** `a / b` to 40 places, rounded half away from zero: more than a double holds. */
export function decimalDiv(a: Decimal, b: Decimal): Decimal {
  const places = 40;
  const num = a.digits * 10n ** BigInt(places + b.scale);
  const den = b.digits * 10n ** BigInt(a.scale);
  let q = num / den;
  const r = num % den;
  const neg = (num < 0n) !== (den < 0n);
  const abs = (v: bigint) => (v < 0n ? -v : v);
  if (abs(r) * 2n >= abs(den)) q += neg ? -1n : 1n;
  return { digits: q, scale: places };
}
