import { compare } from './result';
import type { BenchResult, Measurement } from './types';

const NS_PER: Record<string, number> = { ns: 1, 'µs': 1e3, ms: 1e6, s: 1e9 };

export interface MarginTarget {
  /** The most the figure's p50 may exceed the baseline's, in ms. */
  p50PlusMs: number;
  /** The most the figure's p99 may exceed the baseline's, in ms (unchecked when omitted). */
  p99PlusMs?: number;
}

function toMs(value: number, unit: string): number {
  const per = NS_PER[unit];
  if (per === undefined) throw new Error(`${unit} is not a unit of time`);
  return (value * per) / 1e6;
}

/**
 * A latency against its baseline with an absolute allowance (`+3 ms at p50`) rather than a ratio:
 * a fixed overhead matters the same on a fast baseline as on a slow one.
 */
export function compareWithMargin(name: string, figure: Measurement, baseline: Measurement, margin: MarginTarget, notes: string[] = []): BenchResult {
  const result = compare(name, figure, baseline, { notes });
  const overP50 = toMs(figure.stats.p50, figure.unit) - toMs(baseline.stats.p50, baseline.unit);
  const overP99 = toMs(figure.stats.p99, figure.unit) - toMs(baseline.stats.p99, baseline.unit);
  const p50Met = overP50 <= margin.p50PlusMs;
  const p99Met = margin.p99PlusMs === undefined || overP99 <= margin.p99PlusMs;
  const text = margin.p99PlusMs === undefined ? `p50 +${margin.p50PlusMs} ms` : `p50 +${margin.p50PlusMs} ms, p99 +${margin.p99PlusMs} ms`;
  const perMs = toMs(1, baseline.unit);
  result.target = { ratio: (baseline.stats.p50 + margin.p50PlusMs / perMs) / baseline.stats.p50, met: p50Met && p99Met, text };
  result.notes.unshift(`over the baseline: ${overP50.toFixed(2)} ms at p50, ${overP99.toFixed(2)} ms at p99`);
  return result;
}
