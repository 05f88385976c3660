import { ConnectorError } from './errors';

export type StopReason = 'CANCELLED' | 'TIMEOUT';

/**
 * Turns an AbortSignal and a time limit into one "stop" event for a running execution, and
 * runs the dialect's canceller (which stops the statement in the database) exactly once.
 * The canceller is attached once the execution knows what to cancel (a backend pid, a
 * connection id, a process); a stop that came earlier fires it on attach.
 */
export class ExecutionControl {
  private reason: StopReason | undefined;
  private canceller: (() => Promise<void>) | undefined;
  private cancelling: Promise<void> | undefined;
  private readonly listeners = new Set<(reason: StopReason) => void>();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort = (): void => this.stop('CANCELLED');
  /** True when the database may still be running the statement: its connection must go. */
  cancelFailed = false;

  private readonly timeoutMs: number | undefined;

  constructor(options: { signal?: AbortSignal; timeoutMs?: number }) {
    const timeoutMs = options.timeoutMs;
    this.timeoutMs = timeoutMs;
    this.signal = options.signal;
    if (this.signal?.aborted) {
      this.reason = 'CANCELLED';
    } else {
      this.signal?.addEventListener('abort', this.onAbort, { once: true });
    }
    if (timeoutMs !== undefined && timeoutMs > 0 && this.reason === undefined) {
      this.timer = setTimeout(() => this.stop('TIMEOUT'), timeoutMs);
      this.timer.unref();
    }
  }

  get stopReason(): StopReason | undefined {
    return this.reason;
  }

  /** The error an execution stopped by us ends with. */
  stopError(): ConnectorError {
    if (this.reason === 'TIMEOUT') {
      return new ConnectorError('TIMEOUT', `The query took longer than its limit of ${this.timeoutMs} ms and was stopped`);
    }
    return new ConnectorError('CANCELLED', 'The query was cancelled');
  }

  throwIfStopped(): void {
    if (this.reason !== undefined) throw this.stopError();
  }

  /** Registers how to stop the statement in the database; runs it now if already stopped. */
  setCanceller(cancel: () => Promise<void>): void {
    this.canceller = cancel;
    if (this.reason !== undefined) this.runCanceller();
  }

  clearCanceller(): void {
    this.canceller = undefined;
  }

  /** Resolves once a cancel sent to the database has been answered (or at once if none). */
  async cancelSettled(): Promise<void> {
    await this.cancelling;
  }

  /**
   * Waits for `work` unless the execution stops first. If it stops first, whatever `work`
   * later yields is handed to `discard` so a connection acquired too late is not leaked.
   */
  race<T>(work: Promise<T>, discard: (value: T) => void): Promise<T> {
    if (this.reason !== undefined) {
      work.then(discard, () => undefined);
      return Promise.reject(this.stopError());
    }
    return new Promise<T>((resolve, reject) => {
      let stoppedFirst = false;
      const onStop = (): void => {
        stoppedFirst = true;
        reject(this.stopError());
      };
      this.listeners.add(onStop);
      work.then(
        (value) => {
          this.listeners.delete(onStop);
          if (stoppedFirst) discard(value);
          else resolve(value);
        },
        (err: unknown) => {
          this.listeners.delete(onStop);
          if (!stoppedFirst) reject(err);
        },
      );
    });
  }

  stop(reason: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    if (this.timer) clearTimeout(this.timer);
    for (const listener of this.listeners) listener(reason);
    this.listeners.clear();
    this.runCanceller();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.listeners.clear();
  }

  private runCanceller(): void {
    const cancel = this.canceller;
    if (!cancel || this.cancelling) return;
    // A failed cancel is not the query's error: the caller still sees CANCELLED or TIMEOUT,
    // and the connection is discarded instead of reused.
    this.cancelling = cancel().catch(() => {
      this.cancelFailed = true;
    });
  }

}
