/**
 * A bounded mailbox between a push source (pub/sub) and a pull consumer (an async generator).
 * Only the latest `limit` items are kept: a slow consumer of a job's progress skips stale
 * progress instead of growing memory without bound.
 */
export class AsyncInbox<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | null = null;
  #closed = false;

  constructor(
    private readonly limit = 64,
    closeOn?: AbortSignal,
  ) {
    if (closeOn?.aborted) this.close();
    closeOn?.addEventListener('abort', () => this.close(), { once: true });
  }

  push(item: T): void {
    if (this.#closed) return;
    this.#items.push(item);
    if (this.#items.length > this.limit) this.#items.shift();
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  /**
   * The next item, or null after close or when `timeoutMs` passes with nothing. Without a
   * timeout no timer is armed: a fan-out to thousands of waiting inboxes then clears none.
   */
  async next(timeoutMs = Infinity): Promise<T | null> {
    if (this.#items.length > 0) return this.#items.shift()!;
    if (this.#closed) return null;
    await new Promise<void>((resolve) => {
      if (!Number.isFinite(timeoutMs)) {
        this.#wake = resolve;
        return;
      }
      const timer = setTimeout(resolve, timeoutMs);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = null;
    return this.#items.shift() ?? null;
  }

  get closed(): boolean {
    return this.#closed && this.#items.length === 0;
  }
}
