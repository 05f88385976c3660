/**
 * The API side of query jobs (docs/architecture.md, "The path of a dashboard query"): answer
 * from the cache, join an identical job in flight, or queue a new one under the tenant's fair
 * share; stream a job's states to its subscribers; cancel on request or when the last
 * subscriber leaves; keep live queries fresh when their data changes.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { v7 as uuidv7 } from 'uuid';
import type { Logger } from 'pino';
import { normalizeQuery, QueryError } from '../../query';
import type { DatasourceChanged, QueryJobPayload, QueryJobSnapshot, QueryQueue } from '../../schema/jobs/query-job-contract';
import {
  cacheKeyOf,
  DATASOURCE_CHANGES_TOPIC,
  datasourceTopic,
  durationKey,
  isTerminal,
  jobKey,
  jobTopic,
  LONG_QUERY_MS,
  SNAPSHOT_TTL_SECONDS,
  subscribersKey,
} from '../../schema/jobs/query-job-contract';
import type { datasources } from '../../schema/tables';
import type { KvStore } from '../../infra/cache/kv-store';
import type { QueryJobJournal } from '../../infra/jobs/query-job-journal';
import type { PubSub } from '../../infra/pubsub/pubsub';
import type { JobQueue } from '../../infra/queue';
import type { Metrics } from '../../infra/metrics/metrics';
import type { Principal } from '../auth/principal';
import { AsyncInbox } from './async-inbox';
import { closable } from './closable-iterator';
import { EventHub } from './event-hub';

type DatasourceRow = typeof datasources.$inferSelect;

/** A job's topic, subscribed: what arrives waits in `inbox` until a watcher takes it (`taken`). */
interface Listening {
  inbox: AsyncInbox<QueryJobSnapshot>;
  stop: Promise<() => void>;
  taken: boolean;
}

export interface QueryJobServiceOptions {
  /** The most rows a result may hold. */
  maxRows: number;
  /** How long a job may run without subscribers before it is cancelled (0: at once). */
  cancelGraceMs: number;
  /** A quiet subscriber re-reads the stored state this often, so a lost event cannot strand it. */
  watchdogMs: number;
  /** Runs allowed per job: a worker that dies mid-job gets its job retried once. */
  attempts: number;
}

export interface QueryJobServiceDeps {
  journal: QueryJobJournal;
  kv: KvStore;
  pubsub: PubSub;
  queue: JobQueue;
  logger: Logger;
  options: QueryJobServiceOptions;
  metrics?: Metrics;
  /**
   * A datasource's data version as stored (null when it is gone). Live queries compare it every
   * watchdog period: an announcement lost while pub/sub reconnected (a Redis restart) or never
   * sent (the announcing request failed after the update) still reaches them.
   */
  dataVersionOf?: (datasourceId: string) => Promise<number | null>;
}

/** How long a datasource's run-time hint is reused before it is read again. */
const DURATION_HINT_TTL_MS = 1000;

/** Version reads are shared by the live queries of a process for this long. */
const VERSION_READ_REUSE_MS = 1000;

const now = () => new Date().toISOString();

export class QueryJobService {
  readonly #jobs: EventHub<QueryJobSnapshot>;
  readonly #changes: EventHub<DatasourceChanged>;
  readonly #versionReads = new Map<string, { at: number; version: Promise<number | null> }>();
  /** Recent run times by datasource: a routing hint, read from Redis once per second at most. */
  readonly #durations = new LRUCache<string, number>({ max: 10_000, ttl: DURATION_HINT_TTL_MS });

  constructor(private readonly deps: QueryJobServiceDeps) {
    // A quiet job is re-read once per topic, for all its watchers, so a lost event cannot
    // strand them.
    const jobTopicPrefix = jobTopic('');
    this.#jobs = new EventHub(deps.pubsub, {
      quietMs: deps.options.watchdogMs,
      reread: (topic) => deps.journal.get(topic.slice(jobTopicPrefix.length)),
    });
    this.#changes = new EventHub(deps.pubsub);
  }

  /** The key of a result: who may see it, what data it reads, and what it asks. */
  cacheKey(organizationId: string, datasource: DatasourceRow, normalized: string): string {
    return createHash('sha256')
      .update(JSON.stringify([organizationId, datasource.id, datasource.dataVersion, this.deps.options.maxRows, normalized]))
      .digest('hex');
  }

  async run(principal: Principal, datasource: DatasourceRow, query: unknown, refresh: boolean): Promise<QueryJobSnapshot> {
    const { journal, kv } = this.deps;
    // Every new job starts from the same blank state; only what differs is written below.
    const fresh = (change: Partial<QueryJobSnapshot> & Pick<QueryJobSnapshot, 'status' | 'queue'>): QueryJobSnapshot => ({
      id: uuidv7(),
      organizationId: principal.organizationId,
      datasourceId: datasource.id,
      requestedBy: principal.userId || null,
      query,
      seq: 1,
      progress: 0,
      rowsFetched: 0,
      cached: false,
      queuedAt: now(),
      startedAt: null,
      finishedAt: null,
      error: null,
      result: null,
      ...change,
    });
    let normalized: string;
    try {
      normalized = normalizeQuery(query);
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      // A query error is a failed job too, so every client handles errors one way.
      const failed = fresh({ queue: 'queries', status: 'FAILED', finishedAt: now(), error: err.toJSON() });
      await journal.create(failed, '');
      this.deps.metrics?.queryRequests.inc({ outcome: 'invalid' });
      return failed;
    }
    const key = this.cacheKey(principal.organizationId, datasource, normalized);

    if (!refresh) {
      const hit = await this.#cached(key, principal.organizationId);
      if (hit) return hit;
    }

    const queue = await this.queueFor(datasource);
    const snapshot = fresh({ queue, status: 'QUEUED', query: JSON.parse(normalized) as unknown });
    // The snapshot exists before the claim, so whoever finds the claim also finds its job: both
    // go out together on one connection, which Redis runs in order.
    const staged = journal.stage(snapshot);
    let claiming = journal.claimFlight(key, snapshot.id);
    // Both are awaited below; a failed stage must not leave the claim's failure unhandled.
    claiming.catch(() => undefined);
    await staged;
    for (let tries = 0; ; tries++) {
      const claim = await claiming;
      if (claim.won) {
        // The job we missed in the cache may have finished since (it caches its result before
        // it says DONE and releases its claim): its answer is as fresh as a new run's, and a
        // crowd opening a dashboard must not run each query again for every such straggler.
        const late = refresh ? null : await this.#cached(key, principal.organizationId);
        if (late) {
          // Others may have joined our claim already: they watch our id, so it ends with the
          // cached answer (stored and published) rather than vanishing. It never runs, so it
          // has no history row.
          await journal.record({ ...late, id: snapshot.id, seq: Math.max(late.seq, snapshot.seq) + 1 });
          await journal.releaseFlight(key, snapshot.id);
          return late;
        }
        break;
      }
      const existing = await journal.get(claim.jobId);
      if (existing && !isTerminal(existing) && existing.organizationId === principal.organizationId) {
        await kv.delete(jobKey(snapshot.id));
        this.deps.metrics?.queryRequests.inc({ outcome: 'joined' });
        return existing;
      }
      // A claim left by a job that ended without releasing it (its worker died): clear it.
      await journal.releaseFlight(key, claim.jobId);
      if (tries === 2) break;
      claiming = journal.claimFlight(key, snapshot.id);
    }
    const id = snapshot.id;
    const payload: QueryJobPayload = {
      jobId: id,
      organizationId: principal.organizationId,
      datasourceId: datasource.id,
      query: snapshot.query,
      dataVersion: datasource.dataVersion,
      cacheKey: key,
      cacheTtlSeconds: datasource.cacheTtlSeconds,
      maxRows: this.deps.options.maxRows,
    };
    // The history row and the queue at once: the worker writes the row too (an upsert), so
    // whichever lands first, the row ends in the job's latest state.
    const [inserted] = await Promise.allSettled([
      journal.create(snapshot, key, { staged: true }),
      this.deps.queue.enqueue(queue, { id, organizationId: principal.organizationId, payload }, { attempts: this.deps.options.attempts }),
    ]).then((outcomes) => {
      const failed = outcomes[1];
      if (failed.status === 'rejected') throw failed.reason;
      return outcomes;
    });
    if (inserted.status === 'rejected') this.deps.logger.warn({ err: inserted.reason, jobId: id }, 'the history row of a queued job is left to its worker');
    this.deps.metrics?.queryRequests.inc({ outcome: 'queued' });
    return snapshot;
  }

  /** The cached result of a query for this organization, as a cached answer; null on a miss. */
  async #cached(key: string, organizationId: string): Promise<QueryJobSnapshot | null> {
    const hit = await this.deps.kv.getVia(cacheKeyOf(key));
    if (!hit) return null;
    const snapshot = JSON.parse(hit) as QueryJobSnapshot;
    if (snapshot.status !== 'DONE' || snapshot.organizationId !== organizationId) return null;
    this.deps.metrics?.queryRequests.inc({ outcome: 'cache_hit' });
    return { ...snapshot, cached: true };
  }

  /** Slow datasources get the long queue, so they never hold the slots of quick dashboards. */
  private async queueFor(datasource: DatasourceRow): Promise<QueryQueue> {
    let recent = this.#durations.get(datasource.id);
    if (recent === undefined) {
      recent = Number((await this.deps.kv.get(durationKey(datasource.id))) ?? '0');
      this.#durations.set(datasource.id, recent);
    }
    return recent > LONG_QUERY_MS ? 'queries-long' : 'queries';
  }

  /** A job's stored state whatever its organization: for the operations view only. */
  snapshot(jobId: string): Promise<QueryJobSnapshot | null> {
    return this.deps.journal.get(jobId);
  }

  /** A job of the caller's organization, or null (another's looks exactly like a missing one). */
  async get(principal: Principal, jobId: string): Promise<QueryJobSnapshot | null> {
    const snapshot = await this.deps.journal.get(jobId);
    return snapshot && snapshot.organizationId === principal.organizationId ? snapshot : null;
  }

  async cancel(organizationId: string, jobId: string, reason = 'cancelled by request'): Promise<QueryJobSnapshot | null> {
    const current = await this.deps.journal.get(jobId);
    if (!current || current.organizationId !== organizationId) return null;
    if (isTerminal(current)) return current;
    const outcome = await this.deps.queue.cancel(current.queue, jobId, reason);
    if (outcome === 'signalled') {
      // The worker stops the database query and records CANCELLED; wait a moment for it.
      return (await this.waitForEnd(jobId, 2000)) ?? current;
    }
    const latest = (await this.deps.journal.get(jobId)) ?? current;
    if (isTerminal(latest)) return latest;
    const cancelled: QueryJobSnapshot = {
      ...latest,
      status: 'CANCELLED',
      seq: latest.seq + 1,
      finishedAt: now(),
      error: { code: 'CANCELLED', message: `the query was cancelled (${reason})` },
    };
    // Refused when the job ended meanwhile: its own end stands.
    if (await this.deps.journal.record(cancelled)) return cancelled;
    return (await this.deps.journal.get(jobId)) ?? cancelled;
  }

  private async waitForEnd(jobId: string, timeoutMs: number): Promise<QueryJobSnapshot | null> {
    const inbox = new AsyncInbox<QueryJobSnapshot>(8);
    const stop = await this.#jobs.listen(jobTopic(jobId), (s) => inbox.push(s));
    try {
      const deadline = Date.now() + timeoutMs;
      const stored = await this.deps.journal.get(jobId);
      if (stored && isTerminal(stored)) return stored;
      while (Date.now() < deadline) {
        const next = await inbox.next(deadline - Date.now());
        if (next && isTerminal(next)) return next;
      }
      return null;
    } finally {
      stop();
    }
  }

  /**
   * The states of a job, from its current one to its end. Every subscriber is counted; when
   * the last one leaves an unfinished job, the job is cancelled.
   */
  watch(principal: Principal, first: QueryJobSnapshot): AsyncIterableIterator<QueryJobSnapshot> {
    return this.#watching(principal, first, this.#listen(first.id));
  }

  /**
   * `watch` for a job known by its id: the caller's organization's job that `mayFollow`
   * accepts, or null. The topic is subscribed while the job is looked up (one round trip less
   * before the first state); a refused caller is unsubscribed having heard nothing.
   */
  async follow(principal: Principal, jobId: string, mayFollow: (job: QueryJobSnapshot) => boolean): Promise<AsyncIterableIterator<QueryJobSnapshot> | null> {
    const listening = this.#listen(jobId);
    const letGo = () => void listening.stop.then((stop) => stop(), () => undefined);
    const job = await this.get(principal, jobId).catch((err: unknown) => {
      letGo();
      throw err;
    });
    if (!job || !mayFollow(job)) {
      letGo();
      return null;
    }
    return this.#watching(principal, job, listening);
  }

  #listen(jobId: string): Listening {
    const inbox = new AsyncInbox<QueryJobSnapshot>(64);
    const stop = this.#jobs.listen(jobTopic(jobId), (s) => inbox.push(s));
    stop.catch(() => undefined);
    return { inbox, stop, taken: false };
  }

  #watching(principal: Principal, first: QueryJobSnapshot, listening: Listening): AsyncIterableIterator<QueryJobSnapshot> {
    return closable((closed) => {
      // Closed before its first step (a client that unsubscribed while its subscription was
      // being set up), the generator never runs its `finally`: unsubscribe here, and leave the
      // job as a last subscriber would, so a job nobody watches any more does not run on.
      closed.addEventListener('abort', () => {
        if (listening.taken) return;
        void listening.stop.then((stop) => stop(), () => undefined);
        if (!first.cached && !isTerminal(first)) this.#cancelIfAbandoned(principal.organizationId, first.id);
      }, { once: true });
      return this.#watch(principal, first, closed, listening);
    });
  }

  async *#watch(principal: Principal, first: QueryJobSnapshot, closed: AbortSignal, listening: Listening): AsyncGenerator<QueryJobSnapshot> {
    listening.taken = true;
    const { journal, kv } = this.deps;
    const jobId = first.id;
    const { inbox } = listening;
    if (closed.aborted) inbox.close();
    else closed.addEventListener('abort', () => inbox.close(), { once: true });
    const stop = await listening.stop;
    let counted = false;
    let current = first;
    this.deps.metrics?.subscriptions.inc({ kind: 'queryJob' });
    try {
      // Subscribed first, then read: whatever happened in between is in one of the two.
      if (first.organizationId !== principal.organizationId) return;
      if (first.cached) {
        yield first;
        return;
      }
      // Counted while the state is read (one round trip); a job found finished needs no count,
      // and nobody waits for one that does not matter any more.
      const counting = isTerminal(first) ? null : kv.increment(subscribersKey(jobId), 1, SNAPSHOT_TTL_SECONDS);
      const [stored, count] = await Promise.allSettled([journal.get(jobId), counting]);
      // Counted is counted, whatever the read did: the `finally` below must take it back.
      counted = counting !== null && count.status === 'fulfilled';
      if (stored.status === 'rejected') throw stored.reason;
      if (count.status === 'rejected') throw count.reason;
      current = stored.value ?? first;
      yield current;
      while (!isTerminal(current)) {
        // Events, and the stored state when the job has been quiet (the hub's watchdog).
        const next = await inbox.next();
        if (closed.aborted || next === null) return;
        // An end is taken whatever its number: a job has one (the journal refuses later ones),
        // and a second run of the job may have numbered its states past it.
        if (next.seq <= current.seq && !isTerminal(next)) continue;
        current = next;
        yield current;
      }
    } finally {
      stop();
      this.deps.metrics?.subscriptions.dec({ kind: 'queryJob' });
      // A finished job needs no count: only an unfinished one is cancelled when it reaches zero.
      if (counted && !isTerminal(current)) {
        const left = await kv.increment(subscribersKey(jobId), -1, SNAPSHOT_TTL_SECONDS).catch(() => 1);
        if (left <= 0) this.#cancelIfAbandoned(principal.organizationId, jobId);
      }
    }
  }

  #cancelIfAbandoned(organizationId: string, jobId: string): void {
    const check = async () => {
      const left = Number((await this.deps.kv.get(subscribersKey(jobId))) ?? '0');
      if (left > 0) return;
      await this.cancel(organizationId, jobId, 'no subscriber left');
    };
    const run = () => check().catch((err: unknown) => this.deps.logger.warn({ err, jobId }, 'cancelling an abandoned job failed'));
    if (this.deps.options.cancelGraceMs > 0) setTimeout(run, this.deps.options.cancelGraceMs).unref();
    else void run();
  }

  /**
   * A query kept fresh: its result now (from the cache, a job in flight or a new job), then a
   * new result whenever the datasource's data changes or `refreshSeconds` pass.
   */
  live(
    principal: Principal,
    datasource: DatasourceRow,
    query: unknown,
    refreshSeconds: number | null,
  ): AsyncIterableIterator<QueryJobSnapshot> {
    return closable((closed) => this.#live(principal, datasource, query, refreshSeconds, closed));
  }

  async *#live(principal: Principal, datasource: DatasourceRow, query: unknown, refreshSeconds: number | null, closed: AbortSignal): AsyncGenerator<QueryJobSnapshot> {
    const changes = new AsyncInbox<DatasourceChanged>(4, closed);
    const stop = await this.#changes.listen(datasourceTopic(datasource.id), (c) => changes.push(c));
    let current = datasource;
    let refresh = false;
    this.deps.metrics?.subscriptions.inc({ kind: 'liveQuery' });
    try {
      for (;;) {
        const started = await this.run(principal, current, query, refresh);
        const states = this.watch(principal, started);
        // One listener per run, removed after it: a wall's live query runs for days.
        const stopStates = () => void states.return?.();
        closed.addEventListener('abort', stopStates, { once: true });
        try {
          for await (const state of states) {
            if (closed.aborted) return;
            yield state;
          }
        } finally {
          closed.removeEventListener('abort', stopStates);
        }
        if (closed.aborted) return;
        const change = await this.#nextChange(changes, current, refreshSeconds ? refreshSeconds * 1000 : 2 ** 31 - 1, closed);
        if (closed.aborted) return;
        if (change) {
          current = { ...current, dataVersion: Math.max(current.dataVersion, change.dataVersion) };
          refresh = false;
        } else {
          refresh = true;
        }
      }
    } finally {
      stop();
      this.deps.metrics?.subscriptions.dec({ kind: 'liveQuery' });
    }
  }

  /**
   * The next change of a live query's datasource, or null when `waitMs` pass without one: the
   * announcement, or else a stored version newer than the one the query last ran on.
   */
  async #nextChange(changes: AsyncInbox<DatasourceChanged>, current: DatasourceRow, waitMs: number, closed: AbortSignal): Promise<DatasourceChanged | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || closed.aborted) return null;
      const change = await changes.next(this.deps.dataVersionOf ? Math.min(left, this.deps.options.watchdogMs) : left);
      if (change || closed.aborted || !this.deps.dataVersionOf) return change;
      const stored = await this.#storedVersion(current.id).catch(() => null);
      if (stored !== null && stored > current.dataVersion) return { datasourceId: current.id, dataVersion: stored };
    }
  }

  /** One read per datasource and process per second, however many live queries watch it. */
  #storedVersion(datasourceId: string): Promise<number | null> {
    const recent = this.#versionReads.get(datasourceId);
    if (recent && Date.now() - recent.at < VERSION_READ_REUSE_MS) return recent.version;
    const version = this.deps.dataVersionOf!(datasourceId);
    this.#versionReads.set(datasourceId, { at: Date.now(), version });
    // Forgotten once stale, so the map does not grow with every datasource ever watched.
    setTimeout(() => {
      if (this.#versionReads.get(datasourceId)?.version === version) this.#versionReads.delete(datasourceId);
    }, VERSION_READ_REUSE_MS).unref();
    return version;
  }

  /** Tells every live query of a datasource that its data changed. */
  async announceChange(change: DatasourceChanged): Promise<void> {
    const message = JSON.stringify(change);
    await this.deps.pubsub.publish(DATASOURCE_CHANGES_TOPIC, message);
    await this.deps.pubsub.publish(datasourceTopic(change.datasourceId), message);
  }
}
