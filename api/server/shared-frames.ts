/**
 * graphql-ws `next` frames for subscription results, serialized here rather than by graphql-ws.
 * One job event reaches every local subscriber as the same parsed object (EventHub parses each
 * message once), so its rows arrive in thousands of execution results as one shared value:
 * that value is turned into JSON once and the text reused, instead of once per subscriber.
 * A result shared whole between subscribers (shared-subscriptions.ts) is frozen; its payload is
 * encoded once and each subscriber's frame is its id around those bytes.
 * The memos live until the event loop's next check phase, the span of one fan-out, so a value
 * mutated later can never be sent stale.
 */
import type { ExecutionResult } from 'graphql';
import { FanOutMemo } from './fan-out-memo';

/** Frames sent and data values serialized or reused for them, for benchmarks. */
export const frameCounters = { nextFrames: 0, valueSerializations: 0, valueReuses: 0, payloadReuses: 0 };

const memo = new FanOutMemo<object, string>();
const payloads = new FanOutMemo<object, Buffer>();

function shared(value: object): string {
  const known = memo.get(value);
  if (known !== undefined) {
    frameCounters.valueReuses++;
    return known;
  }
  const json = JSON.stringify(value);
  frameCounters.valueSerializations++;
  memo.set(value, json);
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

/** The payload graphql-ws would send for this result, as JSON text. */
function payloadText(result: ExecutionResult): string {
  const { errors, ...rest } = result;
  const body = { ...rest, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) } as Record<string, unknown>;
  return writeObject(Object.assign(Object.create(null) as Record<string, unknown>, body));
}

/**
 * The payload's bytes, encoded once per fan-out for a frozen result: nothing can change it
 * between one subscriber's frame and the next.
 */
function payloadBytes(result: ExecutionResult): Buffer {
  if (!Object.isFrozen(result)) return Buffer.from(payloadText(result));
  const known = payloads.get(result);
  if (known !== undefined) {
    frameCounters.payloadReuses++;
    // The rows inside were serialized once for all of these frames.
    frameCounters.valueReuses++;
    return known;
  }
  const bytes = Buffer.from(payloadText(result));
  payloads.set(result, bytes);
  return bytes;
}

const FRAME_END = Buffer.from('}');

function frameHead(id: string): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
}

/** The `next` message graphql-ws would send for this result, byte for byte in meaning (UTF-8). */
function frame(head: Buffer, result: ExecutionResult): Buffer {
  const payload = payloadBytes(result);
  frameCounters.nextFrames++;
  return Buffer.concat([head, payload, FRAME_END], head.length + payload.length + FRAME_END.length);
}

/**
 * Sends each result of a subscription as a frame of ours and yields nothing to graphql-ws, which
 * still owns the operation: its completion, errors and the client's unsubscribe. `return()`
 * reaches the source at once, so an unsubscribe is not held until the next event.
 */
export function sendingFrames(id: string, results: AsyncIterable<ExecutionResult>, send: (frame: Buffer) => Promise<void>): AsyncIterableIterator<never> {
  const source = results[Symbol.asyncIterator]();
  const head = frameHead(id);
  const done = { done: true, value: undefined as never } as const;
  const iterator: AsyncIterableIterator<never> = {
    async next() {
      for (;;) {
        const step = await source.next();
        if (step.done) return done;
        await send(frame(head, step.value));
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
