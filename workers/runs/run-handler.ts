import type { RunRow } from '../../infra/jobs/run-journal';

export interface RunContext {
  run: RunRow;
  signal: AbortSignal;
  /** 1 on the first try; handlers of retried kinds (reports) may use it. */
  attempt: number;
  log(text: string, stream?: 'stdout' | 'stderr' | 'system'): void;
}

export interface RunOutcome {
  rowsWritten?: number | null;
  message?: string | null;
  outputFileId?: string | null;
  /** A handler may end a run as failed without throwing (a script that exited non-zero). */
  status?: 'succeeded' | 'failed' | 'cancelled';
}

export type RunHandler = (ctx: RunContext) => Promise<RunOutcome>;

/** Thrown by a handler when trying again may work (an SMTP server busy): the queue retries. */
export class RetryableRunError extends Error {
  override readonly name = 'RetryableRunError';
}

/** A failure whose message is meant for the user as it is. */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';
}
