import {
  assertJobId,
  assertProcessOptions,
  assertQueueName,
  DEFAULT_CANCEL_REASON,
  JobCancelledError,
  type CancelOutcome,
  type Consumer,
  type JobQueue,
  type Processor,
  type ProcessOptions,
  type QueueCounts,
  type QueueJob,
} from '../job-queue';
import { FairLanes } from './fair-lanes';

interface MemoryJob {
  id: string;
  organizationId: string;
  payload: unknown;
  attempts: number;
  failures: number;
  running?: AbortController;
}

interface ConsumerState {
  processor: Processor<unknown>;
  options: ProcessOptions;
  active: number;
  closing: boolean;
  runs: Set<Promise<void>>;
}

interface QueueState {
  name: string;
  lanes: FairLanes<MemoryJob>;
  jobs: Map<string, MemoryJob>;
  consumers: Set<ConsumerState>;
}

const EXHAUSTED_RETRY_MS = 1000;

/**
 * The embedded queue: one process, no service. Same contract as the distributed one (fair
 * shares, per-organization cap, cancel, attempts, onExhausted); jobs do not survive a restart.
 */
export function createMemoryQueue(): JobQueue {
  const queues = new Map<string, QueueState>();
  const pendingCallbacks = new Set<Promise<void>>();
  let closed = false;

  const stateOf = (name: string): QueueState => {
    assertQueueName(name);
    let state = queues.get(name);
    if (!state) {
      state = { name, lanes: new FairLanes(), jobs: new Map(), consumers: new Set() };
      queues.set(name, state);
    }
    return state;
  };

  const track = (set: Set<Promise<void>>, promise: Promise<void>) => {
    set.add(promise);
    void promise.finally(() => set.delete(promise));
  };

  const pump = (state: QueueState): void => {
    const open = [...state.consumers].filter((c) => !c.closing);
    if (open.length === 0) return;
    const limit = Math.min(...open.map((c) => c.options.perOrganizationLimit));
    for (const consumer of open) {
      while (consumer.active < consumer.options.concurrency) {
        const next = state.lanes.take(limit);
        if (!next) return;
        start(state, consumer, next.item);
      }
    }
  };

  const start = (state: QueueState, consumer: ConsumerState, job: MemoryJob): void => {
    const controller = new AbortController();
    job.running = controller;
    consumer.active++;
    const view: QueueJob<unknown> = {
      id: job.id,
      queue: state.name,
      organizationId: job.organizationId,
      payload: job.payload,
      attempt: job.failures + 1,
    };
    // Started on a later tick, like a job fetched from Redis: enqueue never runs processor code.
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => consumer.processor(view, controller.signal))
      .then(
        (): { error: unknown } | undefined => undefined,
        // A cancelled job ends here whatever it threw: it is never retried.
        (error: unknown) => (controller.signal.aborted ? undefined : { error }),
      )
      .then((failure) => {
        consumer.active--;
        state.lanes.finish(job.organizationId);
        job.running = undefined;
        if (failure === undefined) {
          state.jobs.delete(job.id);
        } else if (++job.failures < job.attempts) {
          state.lanes.pushFront(job.organizationId, job);
        } else {
          state.jobs.delete(job.id);
          exhausted(consumer, { ...view, attempt: job.failures }, errorMessage(failure.error));
        }
        pump(state);
      });
    track(consumer.runs, run);
  };

  const exhausted = (consumer: ConsumerState, job: QueueJob, reason: string): void => {
    const onExhausted = consumer.options.onExhausted;
    if (!onExhausted) return;
    const attempt = async (): Promise<void> => {
      // At least once: a failing callback is retried while the queue is open.
      for (;;) {
        try {
          await onExhausted(job, reason);
          return;
        } catch {
          if (closed) return;
          await new Promise((r) => setTimeout(r, EXHAUSTED_RETRY_MS));
        }
      }
    };
    track(pendingCallbacks, attempt());
  };

  return {
    async enqueue(queue, job, options) {
      if (closed) throw new Error('queue is closed');
      assertJobId(job.id);
      const state = stateOf(queue);
      if (state.jobs.has(job.id)) return;
      const attempts = Math.max(1, options?.attempts ?? 1);
      const entry: MemoryJob = { id: job.id, organizationId: job.organizationId, payload: job.payload, attempts, failures: 0 };
      state.jobs.set(job.id, entry);
      state.lanes.push(job.organizationId, entry);
      pump(state);
    },

    async cancel(queue, id, reason = DEFAULT_CANCEL_REASON): Promise<CancelOutcome> {
      const state = stateOf(queue);
      const job = state.jobs.get(id);
      if (!job) return 'not-found';
      if (job.running) {
        if (!job.running.signal.aborted) job.running.abort(new JobCancelledError(id, reason));
        return 'signalled';
      }
      state.lanes.remove(job.organizationId, job);
      state.jobs.delete(id);
      return 'removed';
    },

    process<P>(queue: string, processor: Processor<P>, options: ProcessOptions): Consumer {
      if (closed) throw new Error('queue is closed');
      assertProcessOptions(options);
      const state = stateOf(queue);
      const consumer: ConsumerState = {
        processor: processor as Processor<unknown>,
        options,
        active: 0,
        closing: false,
        runs: new Set(),
      };
      state.consumers.add(consumer);
      pump(state);
      return {
        async close() {
          consumer.closing = true;
          while (consumer.runs.size > 0) await Promise.allSettled([...consumer.runs]);
          state.consumers.delete(consumer);
        },
      };
    },

    async counts(queue) {
      const state = stateOf(queue);
      const counts: QueueCounts = { waiting: 0, running: 0, byOrganization: {} };
      for (const job of state.jobs.values()) {
        const org = (counts.byOrganization[job.organizationId] ??= { waiting: 0, running: 0 });
        const key = job.running ? 'running' : 'waiting';
        org[key]++;
        counts[key]++;
      }
      return counts;
    },

    async close() {
      closed = true;
      for (const state of queues.values()) for (const c of state.consumers) c.closing = true;
      const runs = [...queues.values()].flatMap((s) => [...s.consumers].flatMap((c) => [...c.runs]));
      await Promise.allSettled(runs);
      await Promise.allSettled([...pendingCallbacks]);
    },
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
