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
  jobTopic,
  SNAPSHOT_TTL_SECONDS,
  type QueryJobSnapshot,
} from '../../schema/jobs/query-job-contract';
import type { KvStore } from '../cache/kv-store';
import type { PubSub } from '../pubsub/pubsub';

export interface QueryJobJournal {
  get(jobId: string): Promise<QueryJobSnapshot | null>;
  /** Stores, publishes and records a new state. The snapshot is serialized once for all. */
  record(snapshot: QueryJobSnapshot): Promise<void>;
  /** Stores a new job's first snapshot (no publish, no history row yet). */
  stage(snapshot: QueryJobSnapshot): Promise<void>;
  /** Creates the history row of a new job and stores its snapshot. */
  create(snapshot: QueryJobSnapshot, cacheKey: string): Promise<void>;
  /** Claims the in-flight slot of a query; returns the job id holding it (ours or another's). */
  claimFlight(flightKey: string, jobId: string): Promise<{ won: boolean; jobId: string }>;
  releaseFlight(flightKey: string, jobId: string): Promise<void>;
}

export function createQueryJobJournal(deps: { db: Db; kv: KvStore; pubsub: PubSub }): QueryJobJournal {
  const { db, kv, pubsub } = deps;
  return {
    async get(jobId) {
      const text = await kv.get(jobKey(jobId));
      return text ? (JSON.parse(text) as QueryJobSnapshot) : null;
    },
    async record(snapshot) {
      const text = JSON.stringify(snapshot);
      await kv.set(jobKey(snapshot.id), text, SNAPSHOT_TTL_SECONDS);
      await pubsub.publish(jobTopic(snapshot.id), text);
      await db
        .update(queryJobs)
        .set({
          status: snapshot.status,
          progress: snapshot.progress,
          rowCount: snapshot.result?.rowCount ?? null,
          error: snapshot.error,
          startedAt: snapshot.startedAt ? new Date(snapshot.startedAt) : null,
          finishedAt: snapshot.finishedAt ? new Date(snapshot.finishedAt) : null,
        })
        .where(and(eq(queryJobs.id, snapshot.id), inArray(queryJobs.status, ['QUEUED', 'RUNNING'])));
    },
    async stage(snapshot) {
      await kv.set(jobKey(snapshot.id), JSON.stringify(snapshot), SNAPSHOT_TTL_SECONDS);
    },
    async create(snapshot, cacheKey) {
      await db.insert(queryJobs).values({
        id: snapshot.id,
        organizationId: snapshot.organizationId,
        datasourceId: snapshot.datasourceId,
        requestedBy: snapshot.requestedBy,
        status: snapshot.status,
        query: snapshot.query,
        cacheKey,
        queuedAt: new Date(snapshot.queuedAt),
        error: snapshot.error,
        finishedAt: snapshot.finishedAt ? new Date(snapshot.finishedAt) : null,
      });
      await kv.set(jobKey(snapshot.id), JSON.stringify(snapshot), SNAPSHOT_TTL_SECONDS);
    },
    async claimFlight(flightKey, jobId) {
      const r = await kv.setIfAbsent(flightKeyOf(flightKey), jobId, FLIGHT_TTL_SECONDS);
      return { won: r.won, jobId: r.value };
    },
    async releaseFlight(flightKey, jobId) {
      await kv.deleteIf(flightKeyOf(flightKey), jobId);
    },
  };
}
