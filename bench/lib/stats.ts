import type { Stats, Unit } from './types';

const NS_PER: Partial<Record<Unit, number>> = { ns: 1, 'µs': 1e3, ms: 1e6, s: 1e9 };

/** Linear interpolation between closest ranks, on samples sorted ascending. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** Percentiles of raw values already in the unit they are reported in. */
export function summarize(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Percentiles of durations sampled in nanoseconds, converted to a time unit. */
export function summarizeDurations(samplesNs: readonly number[], unit: Unit): Stats {
  const per = NS_PER[unit];
  if (per === undefined) throw new Error(`${unit} is not a unit of time`);
  return summarize(samplesNs.map((ns) => ns / per));
}
