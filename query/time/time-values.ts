/** Parsing of date and timestamp values written in queries (filter values). */
import { wallClockToInstant } from './zone';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(2000, m, 0)).getUTCDate();
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : days);
}

/** A `YYYY-MM-DD` date, or null. */
export function parseDateValue(s: string): string | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  return validDate(Number(m[1]), Number(m[2]), Number(m[3])) ? s : null;
}

/**
 * The instant (ms since the epoch) of a timestamp value: with `Z` or an offset it is an
 * instant; without, a wall-clock time in `zone` (a bare date is local midnight). Null when the
 * text is not a timestamp.
 */
export function parseTimestampValue(s: string, zone: string): number | null {
  const m = TIMESTAMP_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, sec] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6) : 0;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, sec, ms);
  const wall = date.getTime();
  const tz = m[8];
  if (tz === undefined) return wallClockToInstant(zone, wall);
  if (tz.toUpperCase() === 'Z') return wall;
  const sign = tz[0] === '-' ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  const oh = Number(digits.slice(0, 2)), om = Number(digits.slice(2));
  if (oh > 23 || om > 59) return null;
  return wall - sign * (oh * 60 + om) * 60_000;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ`, the output form of timestamps. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}
