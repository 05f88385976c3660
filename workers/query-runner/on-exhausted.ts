import type { QueryJobJournal } from '../../infra/jobs/query-job-journal';
import { isTerminal, type QueryJobPayload } from '../../schema/jobs/query-job-contract';

/**
 * A job the queue gave up on (its workers kept dying, or it kept failing unexpectedly) ends as
 * FAILED with words a user understands, so no subscriber waits for it forever.
 */
export function createOnExhausted(journal: QueryJobJournal) {
  return async (payload: QueryJobPayload, reason: string): Promise<void> => {
    const current = await journal.get(payload.jobId);
    if (!current || isTerminal(current)) return;
    await journal.record({
      ...current,
      status: 'FAILED',
      seq: current.seq + 1,
      finishedAt: new Date().toISOString(),
      error: { code: 'WORKER_FAILED', message: `the query could not be completed: its worker stopped or failed (${reason.slice(0, 200)})` },
    }, payload.cacheKey);
    await journal.releaseFlight(payload.cacheKey, payload.jobId);
  };
}
