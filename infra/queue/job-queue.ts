/**
 * The job queue between the API (producer) and the workers (consumers). Two implementations sit
 * behind it: in-process for the embedded mode, BullMQ on Redis for the distributed one. Both
 * share tenants fairly: each organization has a cap on running jobs, and waiting jobs are taken
 * round-robin across organizations, so one tenant's backlog never starves another's next job.
 */

/** One job as a processor sees it. */
export interface QueueJob<P = unknown> {
  /** The caller's id (a uuid): the handle for cancel and for look-ups. */
  id: string;
  /** The logical queue name, e.g. the job kind. */
  queue: string;
  organizationId: string;
  payload: P;
  /** 1 on the first run, incremented after each run that threw. */
  attempt: number;
}

/** What cancel did: dropped a job that had not started, signalled a running one, or found nothing. */
export type CancelOutcome = 'removed' | 'signalled' | 'not-found';

export interface EnqueueOptions {
  /** Runs allowed before the job is exhausted; a run that throws uses one. Default 1. */
  attempts?: number;
}

export interface ProcessOptions {
  /** Slots in this process for this queue. */
  concurrency: number;
  /**
   * The most jobs of one organization running at once across all processes. When processes
   * disagree the smallest value wins, so a cap is never exceeded during a rolling change.
   */
  perOrganizationLimit: number;
  /**
   * A job that will never run again (attempts used up, stalled too often). Called at least once,
   * in some live process, so the caller can publish a clear FAILED; it may rarely be called twice
   * for the same job and must be idempotent. Not called for cancelled jobs.
   */
  onExhausted?: (job: QueueJob, reason: string) => Promise<void>;
}

/**
 * A processor: resolves when the job is done, throws to use an attempt. The signal aborts when
 * the job is cancelled, with a JobCancelledError as its reason; after that whatever the
 * processor returns or throws ends the job (a cancelled job is never retried).
 */
export type Processor<P> = (job: QueueJob<P>, signal: AbortSignal) => Promise<void>;

export interface Consumer {
  /** Stops taking jobs and waits for the running ones of this consumer to end. */
  close(): Promise<void>;
}

export interface OrganizationCounts {
  waiting: number;
  running: number;
}

export interface QueueCounts extends OrganizationCounts {
  /** Only organizations with at least one waiting or running job. */
  byOrganization: Record<string, OrganizationCounts>;
}

export interface JobQueue {
  /**
   * Queues a job under its organization's fair share. An id already waiting or running is
   * ignored, so a retried enqueue is harmless.
   */
  enqueue<P>(queue: string, job: { id: string; organizationId: string; payload: P }, options?: EnqueueOptions): Promise<void>;
  /**
   * A waiting job is removed; a running one has its processor's AbortSignal aborted, in whatever
   * process runs it. The reason travels with the signal (JobCancelledError.message).
   */
  cancel(queue: string, id: string, reason?: string): Promise<CancelOutcome>;
  /** Runs jobs of a queue in this process until the returned consumer is closed. */
  process<P>(queue: string, processor: Processor<P>, options: ProcessOptions): Consumer;
  counts(queue: string): Promise<QueueCounts>;
  /** Closes every consumer (waiting for their running jobs) and the connections. */
  close(): Promise<void>;
}

/** The AbortSignal reason a processor sees when its job is cancelled. */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  constructor(
    readonly jobId: string,
    reason: string,
  ) {
    super(reason);
  }
}

export const DEFAULT_CANCEL_REASON = 'cancelled';

/** Names become Redis key parts: keep them to one segment. */
export function assertQueueName(queue: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(queue)) throw new Error(`invalid queue name: ${JSON.stringify(queue)}`);
}

export function assertJobId(id: string): void {
  // BullMQ refuses ':' in ids and reads integer-looking ids as its own counters.
  if (id.length === 0 || id.includes(':') || /^\d+$/.test(id)) throw new Error(`invalid job id: ${JSON.stringify(id)}`);
}

export function assertProcessOptions(options: ProcessOptions): void {
  for (const key of ['concurrency', 'perOrganizationLimit'] as const) {
    const value = options[key];
    if (!Number.isInteger(value) || value < 1) throw new Error(`${key} must be a positive integer, got ${value}`);
  }
}
