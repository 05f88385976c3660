/**
 * The contract between `bench/run.ts` and a benchmark module in `bench/suites/`: the module's
 * default export is a `BenchSuite`, and every figure it reports travels with a baseline measured
 * in the same run, so the ratio holds on any machine.
 */

export type Unit = 'ns' | 'µs' | 'ms' | 's' | 'ops/s' | 'rows/s' | 'MB/s';

/** Summary of one measurement's samples, in the measurement's unit. */
export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export interface Measurement {
  /** What was timed, e.g. `compileQuery` or `pg client.query`. */
  label: string;
  unit: Unit;
  stats: Stats;
}

export interface BenchTarget {
  /** The p50 ratio the figure must reach: at most this (lower is better) or at least it (higher). */
  ratio: number;
  met: boolean;
  /**
   * The target as stated when it is not a plain ratio (`p50 ≤ baseline + 3 ms, p99 ≤ baseline +
   * 15 ms`); `ratio` then holds the p50 ratio it amounts to for this run's baseline.
   */
  text?: string;
}

export interface BenchResult {
  name: string;
  figure: Measurement;
  baseline: Measurement;
  /** Latencies are lower-is-better; throughputs higher-is-better. Decides how a target reads. */
  better: 'lower' | 'higher';
  /** figure p50 / baseline p50. */
  ratio: number;
  /** figure p99 / baseline p99. */
  ratioP99: number;
  target?: BenchTarget;
  /** Anything a reader needs to trust the figure: sizes, settings, causes of a missed target. */
  notes: string[];
}

export interface BenchSuite {
  /** Equal to the module's file name: `npm run bench -- <name>` selects it. */
  name: string;
  /** One line for the report header. */
  description: string;
  /**
   * Runs the whole suite: sets up what it needs (loopback services only), measures within a
   * bounded count and time, and removes everything it created, also when it fails.
   */
  run(): Promise<BenchResult[]>;
}
