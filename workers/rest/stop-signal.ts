import { HttpFetchError, RestSourceError, SsrfError } from './errors';

export interface StopSignal {
  /** Aborts with the typed error that explains the stop (its `reason`). */
  readonly signal: AbortSignal;
  dispose(): void;
}

/** A typed error from this folder travels as an abort reason unchanged; anything else is "aborted". */
export function stopErrorOf(reason: unknown, what: string): Error {
  if (reason instanceof HttpFetchError || reason instanceof SsrfError || reason instanceof RestSourceError) {
    return reason;
  }
  return new HttpFetchError('ABORTED', `${what} was cancelled`);
}

/**
 * Joins the caller's AbortSignal and a time limit into one signal whose reason says which of
 * the two stopped the work. Without a finite `timeoutMs` only the caller's signal counts.
 */
export function createStopSignal(options: {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  what: string;
  timeoutMessage?: () => string;
}): StopSignal {
  const controller = new AbortController();
  const outer = options.signal;
  const onAbort = (): void => controller.abort(stopErrorOf(outer?.reason, options.what));
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });

  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = options.timeoutMs;
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && !controller.signal.aborted) {
    timer = setTimeout(() => {
      const message = options.timeoutMessage?.() ?? `${options.what} took longer than its limit of ${timeoutMs} ms`;
      controller.abort(new HttpFetchError('TIMEOUT', message));
    }, Math.max(0, timeoutMs));
  }

  return {
    signal: controller.signal,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
