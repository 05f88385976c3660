import type { EventStream } from './types.js';

/**
 * Wraps an iterator, mapping its values and errors. `return()` goes straight to the inner
 * iterator, so it ends a stream even while a `next()` waits for the server.
 */
export function mapStream<T, U>(inner: AsyncIterator<T>, map: (value: T) => U, mapError: (err: unknown) => unknown = (e) => e): EventStream<U> {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await inner.return?.();
  };
  const stream: EventStream<U> = {
    async next() {
      if (closed) return { done: true, value: undefined };
      let value: U;
      try {
        const result = await inner.next();
        if (result.done) {
          closed = true;
          return { done: true, value: undefined };
        }
        value = map(result.value);
      } catch (err) {
        await close().catch(() => undefined);
        throw mapError(err);
      }
      return { done: false, value };
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
