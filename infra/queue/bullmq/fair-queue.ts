import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CancelOutcome, QueueJob } from '../job-queue';
import type { CancelChannel } from './cancel-channel';
import { FairDispatch, type AdmittedJob } from './fair-dispatch';

/** What a BullMQ job carries; the id is the BullMQ job id. */
export interface WireData {
  organizationId: string;
  payload: unknown;
  /** Admitted and started ahead: its first delivery by BullMQ needs no start gate. */
  ahead?: boolean;
}

export type ExhaustedHandler = (job: QueueJob, reason: string) => Promise<void>;

// A completed job leaves BullMQ in the same step (its slot was released just before); a job
// failed for good stays until it has been reported and released, this age being a backstop for
// a queue whose workers never come back.
const KEEP_FAILED = { age: 24 * 3600 };
const EXHAUSTED_CLAIM_MS = 30_000;
// Enqueues made in one turn of the event loop share a script call, in chunks that keep Redis
// responsive to other clients.
const ENQUEUE_CHUNK = 200;

interface PendingEnqueue {
  job: AdmittedJob;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One logical queue: our fair dispatch in front of one BullMQ queue. Jobs wait in our
 * per-organization lanes and enter BullMQ only when a slot is free, so fairness and the cap are
 * decided here, and BullMQ keeps what it is good at: locks, stalled-job recovery, retries.
 */
export class FairQueue {
  readonly dispatch: FairDispatch;
  readonly bull: Queue<WireData>;
  private pending: PendingEnqueue[] = [];

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

  /**
   * Resolves once the job is queued and whatever its step admitted is in BullMQ. Enqueues of
   * the same turn of the event loop (a dashboard's tiles) go to Redis as one step; a lone
   * enqueue waits for nothing.
   */
  enqueue(job: AdmittedJob): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ job, resolve, reject });
      if (this.pending.length === 1) queueMicrotask(() => this.flushEnqueues());
    });
  }

  private flushEnqueues(): void {
    const batch = this.pending;
    this.pending = [];
    for (let i = 0; i < batch.length; i += ENQUEUE_CHUNK) {
      const chunk = batch.slice(i, i + ENQUEUE_CHUNK);
      this.enqueueNow(chunk.map((p) => p.job)).then(
        () => chunk.forEach((p) => p.resolve()),
        (err: unknown) => chunk.forEach((p) => p.reject(err)),
      );
    }
  }

  private async enqueueNow(jobs: AdmittedJob[]): Promise<void> {
    const { admitted } = await this.dispatch.enqueue(jobs);
    await this.handoff(admitted);
  }

  /** Hands BullMQ as many jobs as there are free slots. */
  async pump(): Promise<void> {
    await this.handoff(await this.dispatch.admit());
  }

  /**
   * Frees a job's slot and hands the job(s) it admits to BullMQ. With `start`, only that run of
   * the job may release it.
   */
  async release(id: string, start?: number): Promise<void> {
    await this.handoff(await this.dispatch.release(id, start));
  }

  /**
   * Adding is idempotent by job id, so a repeated hand-off (after a crash between admit and
   * add) never makes a second job. `via`: a worker hands off on its own connection, which
   * waits out a Redis outage instead of failing. `ahead`: the jobs were just admitted (started
   * ahead); a job added again by the reconciler goes through the start gate, which sees a
   * cancel that came meanwhile.
   */
  async handoff(jobs: readonly AdmittedJob[], via: Queue<WireData> = this.bull, ahead = true): Promise<void> {
    if (jobs.length === 0) return;
    const wire = jobs.map((job) => ({
      name: 'job',
      data: { organizationId: job.organizationId, payload: job.payload, ahead },
      opts: { jobId: job.id, attempts: job.attempts, removeOnComplete: true, removeOnFail: KEEP_FAILED },
    }));
    if (wire.length === 1) {
      const [one] = wire as [(typeof wire)[number]];
      await via.add(one.name, one.data, one.opts);
    } else {
      await via.addBulk(wire);
    }
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
        // Admitted (started ahead) and being handed to BullMQ: the worker that gets it is told,
        // like one running it.
        if (step === 'running') break;
        // Shown waiting again after a stall, then gone from BullMQ: nothing will run it.
        void this.handoff(await this.dispatch.release(id)).catch(this.onError);
        return 'removed';
      default:
        // Waiting (first run or a retry): remove it unless a worker took it meanwhile.
        if ((await this.bull.remove(id)) === 1) {
          void this.handoff(await this.dispatch.release(id)).catch(this.onError);
          return 'removed';
        }
    }
    await this.channel.publish({ queue: this.name, id, reason });
    return 'signalled';
  }

  /**
   * BullMQ holds the job as completed but its slot was never released (its process died in
   * between, or kept it from an older version): free the slot, drop it, admit the next.
   */
  async finishCompleted(id: string): Promise<void> {
    const admitted = await this.dispatch.release(id);
    await this.bull.remove(id);
    await this.handoff(admitted);
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
    const admitted = await this.dispatch.release(id);
    await this.bull.remove(id);
    await this.handoff(admitted);
  }

  /**
   * Repairs what a crash can leave behind, from BullMQ's state of each admitted job: finished
   * jobs whose process died before releasing them, jobs admitted but never added, jobs that
   * went back to waiting after a stall. Safe to run from several processes at once.
   *
   * A job BullMQ does not know is either not added yet (never started: hand it off again after
   * a grace period) or gone from BullMQ after a run (started: completed and removed in the
   * same step, or removed by a cancel): such a job must not run again, only be released.
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
        if (!current || current.starts > 0) await this.release(id);
        else if (current.admittedAt !== undefined && nowMs - current.admittedAt > handoffGraceMs) await this.handoff([current], this.bull, false);
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
