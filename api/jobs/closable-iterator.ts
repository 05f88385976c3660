/**
 * An async iterator whose `return()` takes effect at once. A plain async generator suspended in
 * an `await` only finishes after that await, so a client that unsubscribes would hold its job
 * (and its cancel) until the next event; here closing aborts a signal the generator waits on.
 */
export function closable<T>(make: (closed: AbortSignal) => AsyncGenerator<T>): AsyncIterableIterator<T> {
  const controller = new AbortController();
  const inner = make(controller.signal);
  const iterator: AsyncIterableIterator<T> = {
    next: () => inner.next(),
    return: async (value?: unknown) => {
      controller.abort();
      await inner.return(value as never);
      return { done: true, value: undefined as never };
    },
    throw: async (err?: unknown) => {
      controller.abort();
      return inner.throw(err);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
