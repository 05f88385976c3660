/**
 * graphql-ws `next` frames for subscription results, serialized here rather than by graphql-ws.
 * One job event reaches every local subscriber as the same parsed object (EventHub parses each
 * message once), so its rows arrive in thousands of execution results as one shared value:
 * that value is turned into JSON once and the text reused, instead of once per subscriber.
 * The memo lives until the event loop's next check phase, the span of one fan-out, so a value
 * mutated later can never be sent stale.
 */
import type { ExecutionResult } from 'graphql';

/** Frames sent and data values serialized or reused for them, for benchmarks. */
export const frameCounters = { nextFrames: 0, valueSerializations: 0, valueReuses: 0 };

let memo = new WeakMap<object, string>();
let clearing = false;

function shared(value: object): string {
  const known = memo.get(value);
  if (known !== undefined) {
    frameCounters.valueReuses++;
    return known;
  }
  const json = JSON.stringify(value);
  frameCounters.valueSerializations++;
  memo.set(value, json);
  if (!clearing) {
    clearing = true;
    setImmediate(() => {
      memo = new WeakMap();
      clearing = false;
    });
  }
  return json;
}

/** Objects graphql-js builds for each execution have no prototype; data values do. */
function isExecutionObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === null;
}

function writeObject(value: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined || typeof v === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${write(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** JSON.stringify's output, walking execution objects and memoizing the data values inside. */
function write(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (isExecutionObject(value)) return writeObject(value);
  if (Array.isArray(value) && !memo.has(value) && value.some(isExecutionObject)) return `[${value.map(write).join(',')}]`;
  return shared(value);
}

/** The `next` message graphql-ws would send for this result, byte for byte in meaning. */
export function nextFrame(id: string, result: ExecutionResult): string {
  const { errors, ...rest } = result;
  const body = { ...rest, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) } as Record<string, unknown>;
  frameCounters.nextFrames++;
  return `{"id":${JSON.stringify(id)},"type":"next","payload":${writeObject(Object.assign(Object.create(null) as Record<string, unknown>, body))}}`;
}

/**
 * Sends each result of a subscription as a frame of ours and yields nothing to graphql-ws, which
 * still owns the operation: its completion, errors and the client's unsubscribe. `return()`
 * reaches the source at once, so an unsubscribe is not held until the next event.
 */
export function sendingFrames(id: string, results: AsyncIterable<ExecutionResult>, send: (frame: string) => Promise<void>): AsyncIterableIterator<never> {
  const source = results[Symbol.asyncIterator]();
  const done = { done: true, value: undefined as never } as const;
  const iterator: AsyncIterableIterator<never> = {
    async next() {
      for (;;) {
        const step = await source.next();
        if (step.done) return done;
        await send(nextFrame(id, step.value));
      }
    },
    async return() {
      await source.return?.();
      return done;
    },
    async throw(err?: unknown) {
      if (source.throw) await source.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
