/**
 * Every state change of a query job goes through here: the snapshot is stored (so late and
 * reconnecting listeners read the current state), published (so live listeners hear it at
 * once), and recorded in the metadata database (history). Used by the API and the workers.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../schema/database';
import { queryJobs } from '../../schema/tables';
import {
  FLIGHT_TTL_SECONDS,
  flightKeyOf,
  jobKey,
  isTerminal,
  jobTopic,
  SNAPSHOT_TTL_SECONDS,
  type QueryJobSnapshot,
} from '../../schema/jobs/query-job-contract';
import type { KvEntry, KvStore } from '../cache/kv-store';
import type { PubSub } from '../pubsub/pubsub';
import { insertHistory, upsertHistory } from './query-job-history';

export type { KvEntry } from '../cache/kv-store';

/**
 * The version a state is stored under: its sequence number, and one above any sequence number
 * for every end. A job's first end is therefore its only one: two runs of one job (after a lost
 * lock), a cancel racing the end, or the queue giving up on it can each reach an end, and
 * whichever is stored first is what every reader and listener gets; the others are refused.
 */
const ENDED = 2 ** 50;
const versionOf = (snapshot: QueryJobSnapshot) => (isTerminal(snapshot) ? ENDED : snapshot.seq);

export interface QueryJobJournal {
  get(jobId: string): Promise<QueryJobSnapshot | null>;
  /**
   * Stores, publishes and records a new state; false when it was refused (see `announce`).
   * `cacheKey` is given by whoever runs the job: its history row is then written even if the
   * producer's insert has not landed yet (both orders end in the same row).
   */
  record(snapshot: QueryJobSnapshot, cacheKey?: string): Promise<boolean>;
  /**
   * Stores and publishes a state without its history row: what listeners wait for. `alongside`
   * is stored with it, before the publish (a result's cache pointer). A state older than the
   * stored one, or any state after an end, is refused: nothing is stored or published, and the
   * answer is false.
   */
  announce(snapshot: QueryJobSnapshot, alongside?: readonly KvEntry[]): Promise<boolean>;
  /** Writes a state to the history row (see `record` for `cacheKey`). */
  history(snapshot: QueryJobSnapshot, cacheKey?: string): Promise<void>;
  /** Stores a new job's first snapshot (no publish, no history row yet). */
  stage(snapshot: QueryJobSnapshot): Promise<void>;
  /** Creates the history row of a new job; also stores its snapshot unless it was staged. */
  create(snapshot: QueryJobSnapshot, cacheKey: string, options?: { staged: boolean }): Promise<void>;
  /** Claims the in-flight slot of a query; returns the job id holding it (ours or another's). */
  claimFlight(flightKey: string, jobId: string): Promise<{ won: boolean; jobId: string }>;
  releaseFlight(flightKey: string, jobId: string): Promise<void>;
}

const ACTIVE: QueryJobSnapshot['status'][] = ['QUEUED', 'RUNNING'];

function historyValues(snapshot: QueryJobSnapshot) {
  return {
    status: snapshot.status,
    progress: snapshot.progress,
    rowCount: snapshot.result?.rowCount ?? null,
    error: snapshot.error,
    startedAt: snapshot.startedAt ? new Date(snapshot.startedAt) : null,
    finishedAt: snapshot.finishedAt ? new Date(snapshot.finishedAt) : null,
  };
}

export function createQueryJobJournal(deps: { db: Db; kv: KvStore; pubsub: PubSub }): QueryJobJournal {
  const { db, kv, pubsub } = deps;

  const journal: QueryJobJournal = {
    async get(jobId) {
      const text = await kv.get(jobKey(jobId));
      return text ? (JSON.parse(text) as QueryJobSnapshot) : null;
    },
    async record(snapshot, cacheKey) {
      // A state on its way (not an end) goes to both at once; an end goes to the history only
      // once it has won, so the row ends as the stored state did.
      if (!isTerminal(snapshot)) {
        const [taken] = await Promise.all([journal.announce(snapshot), journal.history(snapshot, cacheKey)]);
        return taken;
      }
      if (!(await journal.announce(snapshot))) return false;
      await journal.history(snapshot, cacheKey);
      return true;
    },
    async announce(snapshot, alongside = []) {
      const text = JSON.stringify(snapshot);
      // Stored (with its cache pointer) before the publish, so whoever hears a state finds it
      // in place; published only if it was stored, so listeners hear at most one end.
      const taken = await kv.setVersioned({ key: jobKey(snapshot.id), value: text, ttlSeconds: SNAPSHOT_TTL_SECONDS }, versionOf(snapshot), alongside);
      if (taken) await pubsub.publish(jobTopic(snapshot.id), text);
      return taken;
    },
    async history(snapshot, cacheKey) {
      if (cacheKey === undefined) {
        await db
          .update(queryJobs)
          .set(historyValues(snapshot))
          .where(and(eq(queryJobs.id, snapshot.id), inArray(queryJobs.status, ACTIVE)));
        return;
      }
      // Either order with the producer's insert ends with this state.
      await db.execute(upsertHistory(snapshot, cacheKey));
    },
    async stage(snapshot) {
      await kv.set(jobKey(snapshot.id), JSON.stringify(snapshot), SNAPSHOT_TTL_SECONDS);
    },
    async create(snapshot, cacheKey, options) {
      // The worker may have written the row first (it runs as soon as the job is queued).
      await db.execute(insertHistory(snapshot, cacheKey));
      if (!options?.staged) await journal.stage(snapshot);
    },
    async claimFlight(flightKey, jobId) {
      const r = await kv.setIfAbsent(flightKeyOf(flightKey), jobId, FLIGHT_TTL_SECONDS);
      return { won: r.won, jobId: r.value };
    },
    async releaseFlight(flightKey, jobId) {
      await kv.deleteIf(flightKeyOf(flightKey), jobId);
    },
  };
  return journal;
}
