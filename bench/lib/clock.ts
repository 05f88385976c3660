/** Monotonic nanoseconds; only differences mean anything. */
export function now(): bigint {
  return process.hrtime.bigint();
}

/** Nanoseconds since `start`, as a number (exact below 104 days). */
export function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

// A module-level write keeps timed results observable, so the engine cannot drop the calls.
let sink: unknown;
export function consume(value: unknown): unknown {
  sink = value;
  return sink;
}
