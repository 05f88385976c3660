import type { Redis } from 'ioredis';
import type { QueueCounts } from '../job-queue';
import { RedisScript } from './redis-script';

const scripts = {
  enqueue: RedisScript.fromFile('enqueue'),
  admit: RedisScript.fromFile('admit'),
  release: RedisScript.fromFile('release'),
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
export type StartVerdict = 'run' | 'cancelled' | 'gone';

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

  /** false when the id is already waiting or running. */
  async enqueue(job: AdmittedJob): Promise<boolean> {
    const done = await scripts.enqueue.run(
      this.redis,
      [this.key(`job:${job.id}`), this.key(`lane:${job.organizationId}`), this.key('ring'), this.key('served')],
      [job.id, job.organizationId, JSON.stringify(job.payload ?? null), job.attempts],
    );
    return done === 1;
  }

  /** Picks the jobs that fit the free slots; the caller must hand each to BullMQ. */
  async admit(): Promise<AdmittedJob[]> {
    const flat = (await scripts.admit.run(this.redis, [], [this.base])) as string[];
    const jobs: AdmittedJob[] = [];
    for (let i = 0; i < flat.length; i += 4) {
      jobs.push({
        id: flat[i] as string,
        organizationId: flat[i + 1] as string,
        payload: JSON.parse(flat[i + 2] as string) as unknown,
        attempts: Number(flat[i + 3]),
      });
    }
    return jobs;
  }

  /** Frees the job's slot in its organization's cap and forgets it. Idempotent. */
  async release(id: string): Promise<void> {
    await scripts.release.run(this.redis, [], [this.base, id]);
  }

  async cancel(id: string, reason: string): Promise<CancelStep> {
    return (await scripts.cancel.run(this.redis, [], [this.base, id, reason])) as CancelStep;
  }

  async start(id: string): Promise<StartVerdict> {
    return (await scripts.start.run(this.redis, [this.key(`job:${id}`)], [])) as StartVerdict;
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
