/**
 * Time zones from the platform's own data (Intl, full ICU in Node), never the database's:
 * MariaDB often has no tz tables and SQLite has none, so the compiler derives UTC offsets
 * itself and writes them into the SQL as a transition table.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * The canonical name of an IANA zone or link, or null when unknown. Offsets such as "+02:00"
 * and POSIX strings are refused: the contract accepts IANA names only.
 */
export function canonicalZone(name: string): string | null {
  const known = canonicalNames.get(name);
  if (known !== undefined) return known;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return null;
  let canonical: string | null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // ICU resolves the UTC aliases to "UTC"; keep one spelling for cache keys.
    canonical = resolved === 'Etc/UTC' || resolved === 'Etc/GMT' ? 'UTC' : resolved;
  } catch {
    canonical = null;
  }
  // Bounded: names come from requests, and a flood of invented ones must not grow memory.
  if (canonicalNames.size >= MAX_REMEMBERED_NAMES) canonicalNames.clear();
  canonicalNames.set(name, canonical);
  return canonical;
}

/**
 * Resolving a name builds an ICU formatter (about half a millisecond), and every query names
 * its zone: the answer is remembered, since ICU's data cannot change while the process runs.
 */
const canonicalNames = new Map<string, string | null>();
const MAX_REMEMBERED_NAMES = 2000;

/** UTC offset in seconds of `zone` at the instant `ms` (milliseconds since the epoch). */
export function offsetSecondsAt(zone: string, ms: number): number {
  const t = Math.floor(ms / 1000) * 1000;
  const parts = formatter(zone).formatToParts(new Date(t));
  let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year': year = Number(p.value); break;
      case 'month': month = Number(p.value); break;
      case 'day': day = Number(p.value); break;
      case 'hour': hour = Number(p.value); break;
      case 'minute': minute = Number(p.value); break;
      case 'second': second = Number(p.value); break;
      case 'era': bc = p.value.startsWith('B'); break;
      default: break;
    }
  }
  const d = new Date(0);
  d.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return Math.round((d.getTime() - t) / 1000);
}

/** Transitions are derived for instants in [RANGE_START, RANGE_END): 1900-01-01 to 2100-01-01 UTC. */
export const RANGE_START_MS = Date.UTC(1900, 0, 1);
export const RANGE_END_MS = Date.UTC(2100, 0, 1);

/**
 * A zone's offsets as steps: `offsets[0]` applies before `at[0]`, `offsets[i]` from `at[i-1]`.
 * `at` holds instants in whole seconds since the epoch.
 */
export interface ZoneSteps {
  at: number[];
  offsets: number[];
}

const stepsCache = new Map<string, ZoneSteps>();

// A scan every 6 days finds every change of offset unless two changes fall within 6 days of
// each other and cancel out, which no zone in the tz database does inside the range.
const SCAN_STEP_MS = 6 * 86_400_000;

/** The offset steps of `zone` inside the supported range, computed once per zone. */
export function zoneSteps(zone: string): ZoneSteps {
  const cached = stepsCache.get(zone);
  if (cached) return cached;
  const at: number[] = [];
  const offsets: number[] = [offsetSecondsAt(zone, RANGE_START_MS)];
  if (zone !== 'UTC') {
    let prevT = RANGE_START_MS;
    let prevOff = offsets[0]!;
    for (let t = RANGE_START_MS + SCAN_STEP_MS; ; t += SCAN_STEP_MS) {
      const tt = Math.min(t, RANGE_END_MS);
      const off = offsetSecondsAt(zone, tt);
      if (off !== prevOff) {
        // Bisect to the second: offsets change on whole seconds.
        let lo = prevT / 1000, hi = tt / 1000;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (offsetSecondsAt(zone, mid * 1000) === prevOff) lo = mid;
          else hi = mid;
        }
        at.push(hi);
        offsets.push(off);
        prevOff = off;
      }
      prevT = tt;
      if (tt >= RANGE_END_MS) break;
    }
  }
  const steps = { at, offsets };
  stepsCache.set(zone, steps);
  return steps;
}

/**
 * The instant of a wall-clock time in `zone` (fields as Date.UTC takes them). Times that occur
 * twice when clocks go back take the earlier instant; times skipped when clocks go forward move
 * forward by the gap, like JavaScript's Temporal "compatible" disambiguation.
 */
export function wallClockToInstant(zone: string, wallMs: number): number {
  const before = offsetSecondsAt(zone, wallMs - 86_400_000);
  const after = offsetSecondsAt(zone, wallMs + 86_400_000);
  const candidates: number[] = [];
  for (const off of [before, after]) {
    const t = wallMs - off * 1000;
    if (offsetSecondsAt(zone, t) === off) candidates.push(t);
  }
  if (candidates.length > 0) return Math.min(...candidates);
  return wallMs - before * 1000;
}
