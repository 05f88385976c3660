import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CancelOutcome, QueueJob } from '../job-queue';
import type { CancelChannel } from './cancel-channel';
import { FairDispatch, type AdmittedJob } from './fair-dispatch';

/** What a BullMQ job carries; the id is the BullMQ job id. */
export interface WireData {
  organizationId: string;
  payload: unknown;
}

export type ExhaustedHandler = (job: QueueJob, reason: string) => Promise<void>;

// A finished job stays in BullMQ only until we have released it; these ages are a backstop
// for a process that died in between.
const KEEP_COMPLETED = { age: 3600 };
const KEEP_FAILED = { age: 24 * 3600 };
const EXHAUSTED_CLAIM_MS = 30_000;

/**
 * One logical queue: our fair dispatch in front of one BullMQ queue. Jobs wait in our
 * per-organization lanes and enter BullMQ only when a slot is free, so fairness and the cap are
 * decided here, and BullMQ keeps what it is good at: locks, stalled-job recovery, retries.
 */
export class FairQueue {
  readonly dispatch: FairDispatch;
  readonly bull: Queue<WireData>;

  constructor(
    readonly name: string,
    redis: Redis,
    prefix: string,
    private readonly channel: CancelChannel,
    private readonly onError: (error: Error) => void,
  ) {
    this.dispatch = new FairDispatch(redis, `${prefix}:${name}:fair:`);
    this.bull = new Queue<WireData>(name, { connection: redis, prefix });
    this.bull.on('error', onError);
  }

  async enqueue(job: AdmittedJob): Promise<void> {
    if (await this.dispatch.enqueue(job)) await this.pump();
  }

  /** Hands BullMQ as many jobs as there are free slots. */
  async pump(): Promise<void> {
    const admitted = await this.dispatch.admit();
    await Promise.all(admitted.map((job) => this.handoff(job)));
  }

  /**
   * Adding is idempotent by job id, so a repeated hand-off (after a crash between admit and
   * add) never makes a second job.
   */
  async handoff(job: AdmittedJob): Promise<void> {
    await this.bull.add(
      'job',
      { organizationId: job.organizationId, payload: job.payload },
      { jobId: job.id, attempts: job.attempts, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED },
    );
  }

  async cancel(id: string, reason: string): Promise<CancelOutcome> {
    const step = await this.dispatch.cancel(id, reason);
    if (step === 'removed' || step === 'not-found') return step;
    const state = await this.bull.getJobState(id);
    switch (state) {
      case 'active':
        break;
      case 'completed':
      case 'failed':
        return 'not-found';
      case 'unknown':
        // Admitted but not in BullMQ yet: the flag makes the worker skip it when it arrives.
        await this.dispatch.release(id);
        void this.pump().catch(this.onError);
        return 'removed';
      default:
        // Waiting (first run or a retry): remove it unless a worker took it meanwhile.
        if ((await this.bull.remove(id)) === 1) {
          await this.dispatch.release(id);
          void this.pump().catch(this.onError);
          return 'removed';
        }
    }
    await this.channel.publish({ queue: this.name, id, reason });
    return 'signalled';
  }

  /** BullMQ completed the job: free its slot, drop it, admit the next. */
  async finishCompleted(id: string): Promise<void> {
    await this.dispatch.release(id);
    await this.bull.remove(id);
    await this.pump();
  }

  /**
   * BullMQ failed the job for good: report it (unless it was cancelled), then free its slot.
   * The slot is released only after the report succeeded, so a process dying in between
   * leaves the job for the reconciler to report again: at least once.
   */
  async finishFailed(job: Job<WireData>, onExhausted: ExhaustedHandler | undefined): Promise<void> {
    const id = job.id as string;
    const record = await this.dispatch.record(id);
    if (record && record.state !== 'pending' && record.cancelled === undefined && onExhausted) {
      if (!(await this.dispatch.claimExhausted(id, EXHAUSTED_CLAIM_MS))) return;
      const view: QueueJob = {
        id,
        queue: this.name,
        organizationId: record.organizationId,
        payload: record.payload,
        attempt: Math.max(1, job.attemptsMade),
      };
      try {
        await onExhausted(view, job.failedReason || 'failed');
      } catch (err) {
        await this.dispatch.unclaimExhausted(id);
        throw err;
      }
    }
    await this.dispatch.release(id);
    await this.bull.remove(id);
    await this.pump();
  }

  /**
   * Repairs what a crash can leave behind, from BullMQ's state of each admitted job: finished
   * jobs whose process died before releasing them, jobs admitted but never added, jobs that
   * went back to waiting after a stall. Safe to run from several processes at once.
   */
  async reconcile(nowMs: number, handoffGraceMs: number, onExhausted: ExhaustedHandler | undefined): Promise<void> {
    for (const id of await this.dispatch.admittedIds()) {
      // Read before BullMQ's state: what changes in between must not be undone below.
      const record = await this.dispatch.record(id);
      const state = await this.bull.getJobState(id);
      if (state === 'completed') {
        await this.finishCompleted(id);
      } else if (state === 'failed') {
        const job = await this.bull.getJob(id);
        if (job) await this.finishFailed(job, onExhausted);
      } else if (state === 'unknown') {
        // Read again: a job that finished meanwhile is gone from BullMQ and from our records.
        const current = await this.dispatch.record(id);
        if (!current) await this.dispatch.release(id);
        else if (current.admittedAt !== undefined && nowMs - current.admittedAt > handoffGraceMs) await this.handoff(current);
      } else if (state !== 'active' && record?.state === 'running') {
        await this.dispatch.markWaiting(id, record.starts);
      }
    }
    await this.pump();
  }

  async close(): Promise<void> {
    await this.bull.close();
  }
}
