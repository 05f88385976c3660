import type { BenchResult, Measurement } from './types';

export interface CompareOptions {
  better?: 'lower' | 'higher';
  /** The p50 ratio to reach; omitted when the suite sets no target. */
  target?: number;
  notes?: string[];
}

/** A figure against its same-run baseline: ratios of p50 and p99, and the target's verdict. */
export function compare(name: string, figure: Measurement, baseline: Measurement, options: CompareOptions = {}): BenchResult {
  if (figure.unit !== baseline.unit) throw new Error(`${name}: figure in ${figure.unit} but baseline in ${baseline.unit}`);
  const better = options.better ?? 'lower';
  const ratio = figure.stats.p50 / baseline.stats.p50;
  const ratioP99 = figure.stats.p99 / baseline.stats.p99;
  const result: BenchResult = { name, figure, baseline, better, ratio, ratioP99, notes: options.notes ?? [] };
  if (options.target !== undefined) {
    const met = better === 'lower' ? ratio <= options.target : ratio >= options.target;
    result.target = { ratio: options.target, met };
  }
  return result;
}
