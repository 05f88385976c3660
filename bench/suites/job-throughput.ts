/**
 * Jobs per second through our fair queue on BullMQ (`createBullmqQueue`) against bare BullMQ
 * (`Queue.add` + `Worker`), same Redis, same concurrency, processors that do nothing. Each round
 * enqueues N jobs at once and ends when the last one has run.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { REDIS_URL, uniqueName } from '../../testkit/services';
import { createBullmqQueue, type JobQueue } from '../../infra/queue';
import { onInterrupt } from '../lib/cleanup';
import { now, since } from '../lib/clock';
import { progress } from '../lib/progress';
import { compare } from '../lib/result';
import { summarize } from '../lib/stats';
import type { BenchSuite } from '../lib/types';
import { deleteRedisPrefix } from './jobs/platform';

const JOBS = 1000;
const CONCURRENCY = 8;
const ROUNDS = 5;
const ORGANIZATIONS = 4;
const ROUND_TIMEOUT_MS = 30_000;

/** Resolves when `count()` reaches `target`. */
function counter(target: number) {
  let done = 0;
  let release: () => void = () => {};
  let promise = new Promise<void>((r) => (release = r));
  return {
    hit() {
      if (++done === target) release();
    },
    reset() {
      done = 0;
      promise = new Promise<void>((r) => (release = r));
    },
    wait: () => Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`round not finished after ${ROUND_TIMEOUT_MS} ms (${done}/${target})`)), ROUND_TIMEOUT_MS).unref())]),
  };
}

const suite: BenchSuite = {
  name: 'job-throughput',
  description: `jobs/s through our fair BullMQ queue against bare BullMQ, ${JOBS} no-op jobs per round, concurrency ${CONCURRENCY}`,
  async run() {
    const ours = uniqueName('slbench_q');
    const bare = uniqueName('slbench_bull');
    const cleanup = async () => {
      await deleteRedisPrefix(ours);
      await deleteRedisPrefix(bare);
    };
    const forget = onInterrupt(cleanup);
    const queue: JobQueue = createBullmqQueue({ connection: REDIS_URL, prefix: ours, onError: () => {} });
    const bareConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const bareWorkerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const bareQueue = new Queue('bench', { connection: bareConnection, prefix: bare });
    let bareWorker: Worker | null = null;
    try {
      const oursDone = counter(JOBS);
      const bareDone = counter(JOBS);
      queue.process('bench', async () => oursDone.hit(), { concurrency: CONCURRENCY, perOrganizationLimit: CONCURRENCY });
      bareWorker = new Worker('bench', async () => bareDone.hit(), {
        connection: bareWorkerConnection,
        prefix: bare,
        concurrency: CONCURRENCY,
        removeOnComplete: { count: 1000 },
      });
      let seq = 0;
      const runOurs = async () => {
        oursDone.reset();
        const t0 = now();
        await Promise.all(Array.from({ length: JOBS }, (_, i) => queue.enqueue('bench', { id: `j${++seq}`, organizationId: `org${i % ORGANIZATIONS}`, payload: { i } })));
        await oursDone.wait();
        return JOBS / (since(t0) / 1e9);
      };
      const runBare = async () => {
        bareDone.reset();
        const t0 = now();
        await Promise.all(Array.from({ length: JOBS }, (_, i) => bareQueue.add('bench', { i }, { jobId: `j${++seq}`, removeOnComplete: { count: 1000 } })));
        await bareDone.wait();
        return JOBS / (since(t0) / 1e9);
      };
      progress('job-throughput · warm-up');
      await runOurs();
      await runBare();
      const a: number[] = [];
      const b: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        progress(`job-throughput · round ${round + 1}/${ROUNDS}`);
        if (round % 2 === 0) {
          a.push(await runOurs());
          b.push(await runBare());
        } else {
          b.push(await runBare());
          a.push(await runOurs());
        }
      }
      return [
        compare(
          `${JOBS} jobs, concurrency ${CONCURRENCY}`,
          { label: `createBullmqQueue: enqueue (${ORGANIZATIONS} organizations) → fair admit → BullMQ → no-op processor`, unit: 'ops/s', stats: summarize(a) },
          { label: 'bare BullMQ: Queue.add + Worker, no-op processor', unit: 'ops/s', stats: summarize(b) },
          { better: 'higher', target: 0.7, notes: [`jobs per second from the first enqueue to the last job run; ${ROUNDS} alternated rounds per side; both in this process`] },
        ),
      ];
    } finally {
      await queue.close().catch(() => undefined);
      await bareWorker?.close().catch(() => undefined);
      await bareQueue.close().catch(() => undefined);
      bareConnection.disconnect();
      bareWorkerConnection.disconnect();
      await cleanup();
      forget();
    }
  },
};

export default suite;
