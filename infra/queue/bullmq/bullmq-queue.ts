import {
  assertJobId,
  assertProcessOptions,
  assertQueueName,
  DEFAULT_CANCEL_REASON,
  type Consumer,
  type JobQueue,
  type Processor,
  type ProcessOptions,
} from '../job-queue';
import { CancelChannel } from './cancel-channel';
import { openRedis, type RedisTarget } from './connection';
import { FairQueue } from './fair-queue';
import { startFairWorker, type WorkerTimings } from './fair-worker';

export interface BullmqQueueOptions {
  connection: RedisTarget;
  /** Namespace of every key and channel, e.g. "sightline". No ':' inside. */
  prefix: string;
  /** Override how fast dead workers are noticed; the defaults notice one within ~5–7 s. */
  timings?: Partial<WorkerTimings>;
  /** Errors nobody awaits (background chores, connection trouble). Default: stderr. */
  onError?: (error: Error) => void;
}

export const DEFAULT_TIMINGS: WorkerTimings = {
  // Renewed every 2.5 s: an event loop blocked longer than 5 s makes a job look stalled.
  lockDurationMs: 5000,
  stalledIntervalMs: 1000,
  maxStalledCount: 1,
  tickMs: 1000,
};

/**
 * The distributed queue: BullMQ on Redis, one BullMQ queue per logical queue, with our fair
 * dispatch in front. Producers and workers may live in any number of processes; each process
 * creates one of these and closes it on shutdown.
 */
export function createBullmqQueue(options: BullmqQueueOptions): JobQueue {
  const { prefix } = options;
  if (!/^[A-Za-z0-9_.{}-]+$/.test(prefix)) throw new Error(`invalid queue prefix: ${JSON.stringify(prefix)}`);
  const timings: WorkerTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  const onError = options.onError ?? ((error: Error) => console.error(`[queue ${prefix}]`, error.message));
  const commands = openRedis(options.connection, { blocking: false });
  const channel = new CancelChannel(
    commands,
    () => openRedis(options.connection, { blocking: true, subscriber: true }),
    `${prefix}:queue-cancel`,
  );
  const queues = new Map<string, FairQueue>();
  const consumers = new Set<Consumer>();
  let closed = false;

  const fairQueue = (name: string): FairQueue => {
    if (closed) throw new Error('queue is closed');
    assertQueueName(name);
    let queue = queues.get(name);
    if (!queue) {
      queue = new FairQueue(name, commands, prefix, channel, onError);
      queues.set(name, queue);
    }
    return queue;
  };

  return {
    async enqueue(queue, job, enqueueOptions) {
      assertJobId(job.id);
      await fairQueue(queue).enqueue({
        id: job.id,
        organizationId: job.organizationId,
        payload: job.payload,
        attempts: Math.max(1, enqueueOptions?.attempts ?? 1),
      });
    },

    cancel(queue, id, reason = DEFAULT_CANCEL_REASON) {
      return fairQueue(queue).cancel(id, reason);
    },

    process<P>(queue: string, processor: Processor<P>, processOptions: ProcessOptions): Consumer {
      assertProcessOptions(processOptions);
      const consumer = startFairWorker(
        {
          fair: fairQueue(queue),
          channel,
          openBlockingRedis: () => openRedis(options.connection, { blocking: true, subscriber: true }),
          prefix,
          timings,
          onError,
        },
        processor,
        processOptions,
      );
      consumers.add(consumer);
      return {
        async close() {
          consumers.delete(consumer);
          await consumer.close();
        },
      };
    },

    counts(queue) {
      return fairQueue(queue).dispatch.counts();
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...consumers].map((c) => c.close()));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      await channel.close();
      commands.disconnect();
    },
  };
}
