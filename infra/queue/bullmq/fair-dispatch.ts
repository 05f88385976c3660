import type { Redis } from 'ioredis';
import type { QueueCounts } from '../job-queue';
import { RedisScript } from './redis-script';

const scripts = {
  enqueue: RedisScript.fromFile('lib/admit', 'enqueue'),
  admit: RedisScript.fromFile('lib/admit', 'admit'),
  release: RedisScript.fromFile('lib/admit', 'release'),
  cancel: RedisScript.fromFile('cancel'),
  start: RedisScript.fromFile('start'),
  heartbeat: RedisScript.fromFile('heartbeat'),
  counts: RedisScript.fromFile('counts'),
  markWaiting: RedisScript.fromFile('mark-waiting'),
};

/** A job handed to BullMQ by admit(). */
export interface AdmittedJob {
  id: string;
  organizationId: string;
  payload: unknown;
  attempts: number;
}

/** Our record of a job from enqueue until BullMQ is done with it. */
export interface JobRecord {
  id: string;
  organizationId: string;
  payload: unknown;
  attempts: number;
  state: 'pending' | 'admitted' | 'running';
  /** Redis clock (ms) when handed to BullMQ. */
  admittedAt?: number;
  /** The cancel reason, once cancelled. */
  cancelled?: string;
  /** How many times a worker started it. */
  starts: number;
}

export type CancelStep = 'removed' | 'not-found' | 'admitted' | 'running';
/**
 * The run's start number (1 for a first run; 0 for a run started ahead); the reason of a cancel
 * that came first; or 'gone' for a job we no longer hold.
 */
export type StartVerdict = number | { cancelled: string } | 'gone';

function parseAdmitted(flat: readonly unknown[], from: number): AdmittedJob[] {
  const jobs: AdmittedJob[] = [];
  for (let i = from; i + 3 < flat.length; i += 4) {
    jobs.push({
      id: flat[i] as string,
      organizationId: flat[i + 1] as string,
      payload: JSON.parse(flat[i + 2] as string) as unknown,
      attempts: Number(flat[i + 3]),
    });
  }
  return jobs;
}

/**
 * The fair share in front of one BullMQ queue, all in Redis under one key base:
 *   lane:<org>      LIST  waiting job ids of an organization, FIFO
 *   ring            ZSET  organizations with waiting jobs, scored by their last service
 *   served, seq           last service by organization, and the service counter
 *   admitted        HASH  job id -> organization, for jobs handed to BullMQ and not yet released
 *   org-admitted    HASH  organization -> number of admitted jobs (what the cap counts)
 *   job:<id>        HASH  our record: organization, payload, attempts, state, cancel flag
 *   workers, worker-info  live workers' leases and their "concurrency:limit"
 *   claim:<id>, lead      short leases: who reports an exhausted job, who reconciles this tick
 * Every step that reads and writes several of these is one Lua script, so concurrent
 * producers and workers never see half a step.
 */
export class FairDispatch {
  constructor(
    private readonly redis: Redis,
    /** e.g. "sightline:query:fair:" */
    readonly base: string,
  ) {}

  /**
   * Queues jobs, then admits into the free slots in the same step. `queued[i]` is false when
   * the i-th id was already waiting or running. The caller must hand each admitted job to BullMQ.
   */
  async enqueue(jobs: readonly AdmittedJob[]): Promise<{ queued: boolean[]; admitted: AdmittedJob[] }> {
    const args: (string | number)[] = [this.base, jobs.length];
    for (const job of jobs) args.push(job.id, job.organizationId, JSON.stringify(job.payload ?? null), job.attempts);
    const reply = (await scripts.enqueue.run(this.redis, [], args)) as unknown[];
    const verdicts = String(reply[0] ?? '');
    return { queued: jobs.map((_, i) => verdicts[i] === '1'), admitted: parseAdmitted(reply, 1) };
  }

  /** Picks the jobs that fit the free slots; the caller must hand each to BullMQ. */
  async admit(): Promise<AdmittedJob[]> {
    return parseAdmitted((await scripts.admit.run(this.redis, [], [this.base])) as unknown[], 0);
  }

  /**
   * Frees the job's slot in its organization's cap and forgets it (idempotent), then admits
   * into the free slots: the caller must hand each admitted job to BullMQ. With `start`, only
   * that run of the job may release it (a newer run, after a lost lock, keeps the slot).
   */
  async release(id: string, start?: number): Promise<AdmittedJob[]> {
    return parseAdmitted((await scripts.release.run(this.redis, [], [this.base, id, start ?? ''])) as unknown[], 0);
  }

  async cancel(id: string, reason: string): Promise<CancelStep> {
    return (await scripts.cancel.run(this.redis, [], [this.base, id, reason])) as CancelStep;
  }

  async start(id: string): Promise<StartVerdict> {
    const verdict = (await scripts.start.run(this.redis, [this.key(`job:${id}`)], [])) as number | string | string[];
    if (typeof verdict === 'number') return verdict;
    if (Array.isArray(verdict)) return { cancelled: String(verdict[1]) };
    return 'gone';
  }

  /** Registers (or renews) a worker's slots; returns Redis' clock in ms. */
  async heartbeat(workerId: string, concurrency: number, perOrganizationLimit: number, leaseMs: number): Promise<number> {
    return Number(await scripts.heartbeat.run(this.redis, [], [this.base, workerId, concurrency, perOrganizationLimit, leaseMs]));
  }

  async deregister(workerId: string): Promise<void> {
    await this.redis.multi().zrem(this.key('workers'), workerId).hdel(this.key('worker-info'), workerId).exec();
  }

  /** Ids of jobs handed to BullMQ and not yet released. */
  async admittedIds(): Promise<string[]> {
    return this.redis.hkeys(this.key('admitted'));
  }

  async record(id: string): Promise<JobRecord | undefined> {
    const h = await this.redis.hgetall(this.key(`job:${id}`));
    if (!h.state || !h.org) return undefined;
    return {
      id,
      organizationId: h.org,
      payload: JSON.parse(h.payload ?? 'null') as unknown,
      attempts: Number(h.attempts ?? 1),
      state: h.state as JobRecord['state'],
      admittedAt: h.admittedAt === undefined ? undefined : Number(h.admittedAt),
      cancelled: h.cancelled,
      starts: Number(h.starts ?? 0),
    };
  }

  /** Cancel reasons of the given jobs (undefined where not cancelled). */
  async cancelReasons(ids: readonly string[]): Promise<(string | undefined)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.key(`job:${id}`), 'cancelled');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([err, value]) => (err || typeof value !== 'string' ? undefined : value));
  }

  /**
   * A job sent back to BullMQ's wait list (stalled) is waiting again, not running, unless a
   * worker started it since its state was read (startsSeen is from before that read).
   */
  async markWaiting(id: string, startsSeen: number): Promise<void> {
    await scripts.markWaiting.run(this.redis, [this.key(`job:${id}`)], [startsSeen]);
  }

  /** One process at a time reports an exhausted job; the lease lets another retry if it dies. */
  async claimExhausted(id: string, leaseMs: number): Promise<boolean> {
    return (await this.redis.set(this.key(`claim:${id}`), '1', 'PX', leaseMs, 'NX')) === 'OK';
  }

  async unclaimExhausted(id: string): Promise<void> {
    await this.redis.del(this.key(`claim:${id}`));
  }

  /** At most one process reconciles per period; the others rely on it. */
  async lead(workerId: string, periodMs: number): Promise<boolean> {
    return (await this.redis.set(this.key('lead'), workerId, 'PX', periodMs, 'NX')) === 'OK';
  }

  async counts(): Promise<QueueCounts> {
    const flat = (await scripts.counts.run(this.redis, [], [this.base])) as (string | number)[];
    const counts: QueueCounts = { waiting: 0, running: 0, byOrganization: {} };
    for (let i = 0; i < flat.length; i += 3) {
      const waiting = Number(flat[i + 1]);
      const running = Number(flat[i + 2]);
      if (waiting === 0 && running === 0) continue;
      counts.byOrganization[String(flat[i])] = { waiting, running };
      counts.waiting += waiting;
      counts.running += running;
    }
    return counts;
  }

  private key(suffix: string): string {
    return this.base + suffix;
  }
}
