/**
 * One processor for every kind of run. The run's row is claimed (queued → running) before any
 * work, so a run cancelled while it waited never starts; whatever happens, the row ends in a
 * terminal state with a message a user can act on.
 */
import type { RunKind } from '../../schema/domain/run';
import type { RunJobPayload } from '../../schema/jobs/run-job';
import type { RunJournal } from '../../infra/jobs/run-journal';
import type { Processor, QueueJob } from '../../infra/queue';
import { RetryableRunError, type RunHandler } from './run-handler';

export interface RunProcessorOptions {
  journal: RunJournal;
  handlers: Partial<Record<RunKind, RunHandler>>;
  /** Attempts a retryable run gets in all (must match the enqueue's attempts). */
  attempts?: number;
  onError?: (err: unknown, runId: string) => void;
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function createRunProcessor(options: RunProcessorOptions): Processor<RunJobPayload> {
  const { journal, handlers } = options;
  const attempts = options.attempts ?? 3;
  return async (job: QueueJob<RunJobPayload>, signal: AbortSignal) => {
    const { runId } = job.payload;
    const run = await journal.get(runId);
    if (!run) return;
    if (!(await journal.markRunning(runId))) return;
    const handler = handlers[run.kind];
    if (!handler) {
      await journal.finish(runId, 'failed', { message: `no worker here runs ${run.kind} runs` });
      return;
    }
    const pendingLogs: Promise<void>[] = [];
    const log = (text: string, stream: 'stdout' | 'stderr' | 'system' = 'system') => {
      pendingLogs.push(journal.log(runId, stream, text).catch(() => undefined));
    };
    try {
      const outcome = await handler({ run, signal, attempt: job.attempt, log });
      await Promise.all(pendingLogs);
      const status = signal.aborted ? 'cancelled' : (outcome.status ?? 'succeeded');
      await journal.finish(runId, status, { message: status === 'cancelled' ? cancelMessage(signal) : (outcome.message ?? null), rowsWritten: outcome.rowsWritten ?? null, outputFileId: outcome.outputFileId ?? null });
    } catch (err) {
      await Promise.all(pendingLogs);
      if (signal.aborted) {
        await journal.finish(runId, 'cancelled', { message: cancelMessage(signal) });
        return;
      }
      if (err instanceof RetryableRunError && job.attempt < attempts) {
        await journal.log(runId, 'system', `attempt ${job.attempt} failed: ${err.message}; trying again`);
        throw err;
      }
      options.onError?.(err, runId);
      await journal.finish(runId, 'failed', { message: messageOf(err) });
    }
  };
}

function cancelMessage(signal: AbortSignal): string {
  const reason = signal.reason as { message?: string } | undefined;
  return reason?.message ? `cancelled: ${reason.message}` : 'cancelled';
}
