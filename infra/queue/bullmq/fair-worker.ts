import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobCancelledError, type Consumer, type Processor, type ProcessOptions } from '../job-queue';
import type { CancelChannel } from './cancel-channel';
import { FairDispatch } from './fair-dispatch';
import type { FairQueue, WireData } from './fair-queue';

/** How fast a dead worker is noticed, and how often a worker does its chores. */
export interface WorkerTimings {
  /** A job's lock lives this long without renewal (renewed at half): the stall detection delay. */
  lockDurationMs: number;
  /** How often each worker looks for stalled jobs. */
  stalledIntervalMs: number;
  /** Stalls a job survives; one more and it is exhausted. */
  maxStalledCount: number;
  /** Heartbeat, cancel-flag poll, reconciliation and admission period. */
  tickMs: number;
}

export interface FairWorkerContext {
  fair: FairQueue;
  channel: CancelChannel;
  /** A fresh connection for BullMQ's worker (it blocks, so it cannot be shared). */
  openBlockingRedis: () => Redis;
  prefix: string;
  timings: WorkerTimings;
  onError: (error: Error) => void;
}

/**
 * A BullMQ worker behind our fair dispatch. It registers its slots (a lease renewed every
 * tick, so a killed process stops counting), releases each job's slot when BullMQ is done with
 * it, aborts jobs cancelled from anywhere, and repairs what dead processes left behind.
 */
export function startFairWorker<P>(ctx: FairWorkerContext, processor: Processor<P>, options: ProcessOptions): Consumer {
  const { fair, channel, timings, onError } = ctx;
  const workerId = randomUUID();
  const leaseMs = Math.max(3 * timings.tickMs, 3000);
  const handoffGraceMs = Math.max(5 * timings.tickMs, 5000);
  // The abort controller of each job running in this process, for cancels from anywhere.
  const runningHere = new Map<string, AbortController>();
  const chores = new Set<Promise<void>>();
  let closing = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let unlisten: (() => void) | undefined;

  const chore = (work: Promise<void>) => {
    const tracked = work.catch(onError).finally(() => chores.delete(tracked));
    chores.add(tracked);
  };

  const connection = ctx.openBlockingRedis();
  // On the worker's own connection, which waits out a Redis outage: a start check failing on a
  // short outage would otherwise use up one of the job's attempts, and a hand-off failing would
  // leave a slot idle until the reconciler's grace period.
  const startGate = new FairDispatch(connection, fair.dispatch.base);
  const handoffs = new Queue<WireData>(fair.name, { connection, prefix: ctx.prefix });
  handoffs.on('error', onError);
  // Runs whose release failed (Redis trouble): retried once BullMQ reports them completed, and
  // repaired by the reconciler should this process die first.
  const unreleased = new Map<string, number | undefined>();
  // Cancels broadcast for jobs not (yet) running here: a job started ahead may get its
  // processor a moment after its cancel was broadcast.
  const recentCancels = new Map<string, { reason: string; at: number }>();

  /**
   * A run is over and the job will not run again: its slot goes to the next job now, before
   * BullMQ hears of the end, so that BullMQ's moveToFinished fetches that job in the same step
   * instead of this worker going back to a blocking wait for it. Should this process die before
   * telling BullMQ, the copy BullMQ hands out again finds no record and is skipped (start gate).
   */
  const endRun = async (id: string, start: number | undefined): Promise<void> => {
    let admitted: Awaited<ReturnType<typeof startGate.release>>;
    try {
      admitted = await startGate.release(id, start);
    } catch (err) {
      unreleased.set(id, start);
      onError(err as Error);
      return;
    }
    // Not awaited: the hand-off and BullMQ's completion of this run then share a round trip. A
    // hand-off that fails or lands late leaves the job admitted and not added, which the
    // reconciler adds again after its grace period.
    void fair.handoff(admitted, handoffs).catch(onError);
  };

  // One parameter: BullMQ then creates no AbortSignal of its own per job; cancels abort ours.
  const run = async (job: Job<WireData>): Promise<void> => {
    const id = job.id as string;
    // BullMQ's first delivery of a job just admitted: nothing can have made it stale, and a
    // cancel that came since is known from its broadcast (or the flag poll). Any later
    // delivery (after a stall or a failed attempt) goes through the gate.
    const ahead = job.data.ahead === true && job.attemptsStarted === 1;
    const verdict = ahead ? 0 : await startGate.start(id);
    if (verdict === 'gone') return;
    const controller = new AbortController();
    // Cancelled before its processor started, yet after the cancel found it taken by a worker
    // (answered 'signalled'): the processor runs with its signal already aborted, and ends the
    // job as it would a cancel mid-run.
    const cancelledFirst = typeof verdict === 'object' ? verdict.cancelled : ahead ? recentCancels.get(id)?.reason : undefined;
    if (cancelledFirst !== undefined) controller.abort(new JobCancelledError(id, cancelledFirst));
    // A gate that saw the cancel gave no start number: the flag keeps any other run out.
    const start = typeof verdict === 'number' ? verdict : undefined;
    runningHere.set(id, controller);
    try {
      await processor(
        {
          id,
          queue: fair.name,
          organizationId: job.data.organizationId,
          payload: job.data.payload as P,
          attempt: job.attemptsMade + 1,
        },
        controller.signal,
      );
    } catch (err) {
      // A failed run keeps its slot: BullMQ retries it or fails it for good (then released).
      // A cancelled job ends here whatever it threw: it is never retried.
      if (!controller.signal.aborted) throw err instanceof Error ? err : new Error(String(err));
    } finally {
      runningHere.delete(id);
    }
    await endRun(id, start);
  };

  const worker = new Worker<WireData>(fair.name, run, {
    connection,
    prefix: ctx.prefix,
    concurrency: options.concurrency,
    lockDuration: timings.lockDurationMs,
    stalledInterval: timings.stalledIntervalMs,
    maxStalledCount: timings.maxStalledCount,
    autorun: false,
  });
  worker.on('error', onError);
  worker.on('completed', (job) => {
    const id = job.id as string;
    if (!unreleased.has(id)) return;
    const start = unreleased.get(id);
    unreleased.delete(id);
    chore(fair.release(id, start));
  });
  worker.on('failed', (job) => {
    // Without finishedOn BullMQ is retrying it: the job keeps its slot.
    if (job?.finishedOn) chore(fair.finishFailed(job, options.onExhausted));
  });

  const cancelHere = (id: string, reason: string) => {
    const controller = runningHere.get(id);
    if (controller) controller.abort(new JobCancelledError(id, reason));
    else recentCancels.set(id, { reason, at: Date.now() });
  };

  // A cancel matters here only to a job delivered in the moment after it was broadcast.
  const forgetOld = () => {
    const before = Date.now() - 5 * timings.tickMs;
    for (const [id, entry] of recentCancels) if (entry.at < before) recentCancels.delete(id);
  };

  const tick = async () => {
    const now = await fair.dispatch.heartbeat(workerId, options.concurrency, options.perOrganizationLimit, leaseMs);
    forgetOld();
    const ids = [...runningHere.keys()];
    const reasons = await fair.dispatch.cancelReasons(ids);
    ids.forEach((id, i) => {
      const reason = reasons[i];
      if (reason !== undefined) runningHere.get(id)?.abort(new JobCancelledError(id, reason));
    });
    if (await fair.dispatch.lead(workerId, timings.tickMs)) await fair.reconcile(now, handoffGraceMs, options.onExhausted);
    else await fair.pump();
  };

  const schedule = (delayMs: number) => {
    if (closing) return;
    timer = setTimeout(() => {
      ticking = tick()
        .catch(onError)
        .finally(() => {
          ticking = undefined;
          schedule(timings.tickMs);
        });
    }, delayMs);
  };

  const started = (async () => {
    try {
      unlisten = await channel.listen((message) => {
        if (message.queue === fair.name) cancelHere(message.id, message.reason);
      });
    } catch (err) {
      // Cancels still arrive through the flag poll; ioredis keeps trying to subscribe.
      onError(err as Error);
    }
    if (closing) return;
    worker.run().catch(onError);
    schedule(0);
  })();

  return {
    async close() {
      if (closing) return;
      closing = true;
      await started;
      clearTimeout(timer);
      await ticking;
      unlisten?.();
      await fair.dispatch.deregister(workerId).catch(onError);
      await worker.close();
      while (chores.size > 0) await Promise.allSettled([...chores]);
      await handoffs.close().catch(onError);
      connection.disconnect();
    },
  };
}
