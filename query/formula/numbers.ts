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
