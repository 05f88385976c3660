/**
 * Bounded A/B sampling. A figure and its baseline run interleaved in the same process so that
 * drift (JIT tiers, GC pressure, CPU frequency, a neighbour's load, database caches) hits both
 * alike. The order flips every round (A B, B A, A B, …) so neither side always runs second.
 */
import { consume, now, since } from './clock';

export interface Bounds {
  /** Untimed runs of each side before measuring. */
  warmup: number;
  /** Rounds always measured, whatever the budget. */
  minRounds: number;
  /** Rounds never exceeded. */
  maxRounds: number;
  /** Wall-clock time after which no new round starts once `minRounds` are done. */
  budgetMs: number;
}

export interface Paired {
  /** Nanoseconds per call of side A. */
  a: number[];
  /** Nanoseconds per call of side B. */
  b: number[];
}

function keepGoing(round: number, startedAt: bigint, bounds: Bounds): boolean {
  if (round < bounds.minRounds) return true;
  if (round >= bounds.maxRounds) return false;
  return since(startedAt) < bounds.budgetMs * 1e6;
}

function timeSync(fn: () => unknown, batch: number, out: number[]): void {
  for (let i = 0; i < batch; i++) {
    const t0 = now();
    consume(fn());
    out.push(since(t0));
  }
}

/**
 * Interleaves two synchronous operations, `batch` timed calls of one side then of the other
 * per round; every call is timed on its own so p99 is a real tail.
 */
export function pairSync(a: () => unknown, b: () => unknown, bounds: Bounds & { batch: number }): Paired {
  for (let i = 0; i < bounds.warmup; i++) {
    consume(a());
    consume(b());
  }
  const out: Paired = { a: [], b: [] };
  const startedAt = now();
  for (let round = 0; keepGoing(round, startedAt, bounds); round++) {
    if (round % 2 === 0) {
      timeSync(a, bounds.batch, out.a);
      timeSync(b, bounds.batch, out.b);
    } else {
      timeSync(b, bounds.batch, out.b);
      timeSync(a, bounds.batch, out.a);
    }
  }
  return out;
}

async function timeAsync(fn: () => Promise<unknown>, out: number[]): Promise<void> {
  const t0 = now();
  consume(await fn());
  out.push(since(t0));
}

/** Interleaves two asynchronous operations, one timed run of each side per round. */
export async function pairAsync(a: () => Promise<unknown>, b: () => Promise<unknown>, bounds: Bounds): Promise<Paired> {
  for (let i = 0; i < bounds.warmup; i++) {
    consume(await a());
    consume(await b());
  }
  const out: Paired = { a: [], b: [] };
  const startedAt = now();
  for (let round = 0; keepGoing(round, startedAt, bounds); round++) {
    if (round % 2 === 0) {
      await timeAsync(a, out.a);
      await timeAsync(b, out.b);
    } else {
      await timeAsync(b, out.b);
      await timeAsync(a, out.a);
    }
  }
  return out;
}

/** Times each call of `fn` once, for costs that only exist the first time (a cold cache). */
export function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown): number[] {
  return inputs.map((input) => {
    const t0 = now();
    consume(fn(input));
    return since(t0);
  });
}
