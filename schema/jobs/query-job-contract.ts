/**
 * The query job contract between the API and the workers: the queue payload, the snapshot of a
 * job's state (stored and published on every change), and the names of topics and keys. The two
 * sides meet only here.
 */
import type { OutputColumn } from '../../query/types';
import type { QueryJobError, QueryJobStatus } from '../domain/query-job';

/** Queues for query jobs: interactive ones never wait behind long ones. */
export const QUERY_QUEUES = ['queries', 'queries-long'] as const;
export type QueryQueue = (typeof QUERY_QUEUES)[number];

/** What a worker needs to run one query; secrets are loaded by the worker, never carried. */
export interface QueryJobPayload {
  jobId: string;
  organizationId: string;
  datasourceId: string;
  /** The query as validated and normalized by the API. */
  query: unknown;
  dataVersion: number;
  cacheKey: string;
  cacheTtlSeconds: number;
  maxRows: number;
}

export interface QueryResult {
  columns: OutputColumn[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

/** A job's state. `seq` grows with every change, so a listener can drop stale or repeated events. */
export interface QueryJobSnapshot {
  id: string;
  /** The queue it was sent to, for cancelling it there. */
  queue: QueryQueue;
  organizationId: string;
  datasourceId: string;
  requestedBy: string | null;
  query: unknown;
  status: QueryJobStatus;
  seq: number;
  /** 0 to 1. */
  progress: number;
  rowsFetched: number;
  /** True when this answer came from the result cache rather than a run. */
  cached: boolean;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: QueryJobError | null;
  result: QueryResult | null;
}

export const TERMINAL_STATUSES: ReadonlySet<QueryJobStatus> = new Set(['DONE', 'FAILED', 'CANCELLED']);
export const isTerminal = (s: { status: QueryJobStatus }) => TERMINAL_STATUSES.has(s.status);

/** Topics and keys, in one place so both sides always agree. */
export const jobTopic = (jobId: string) => `sl:job:${jobId}`;
export const datasourceTopic = (datasourceId: string) => `sl:datasource:${datasourceId}`;
/** Every datasource change, for the caches of every API process. */
export const DATASOURCE_CHANGES_TOPIC = 'sl:datasource-changes';
export const jobKey = (jobId: string) => `job:${jobId}`;
export const cacheKeyOf = (key: string) => `cache:${key}`;
export const flightKeyOf = (key: string) => `flight:${key}`;
export const subscribersKey = (jobId: string) => `subs:${jobId}`;
/** Recent run time of a datasource's queries, which picks their queue. */
export const durationKey = (datasourceId: string) => `duration:${datasourceId}`;
/** Queries slower than this (moving average) go to the long queue. */
export const LONG_QUERY_MS = 5000;

/** How long a finished job's snapshot (with its result) stays readable by id. */
export const SNAPSHOT_TTL_SECONDS = 24 * 3600;
/** A claim on an in-flight query outlives any sane run; it is released at the end anyway. */
export const FLIGHT_TTL_SECONDS = 3600;

/** What a datasource change event says, on `datasourceTopic`. */
export interface DatasourceChanged {
  datasourceId: string;
  dataVersion: number;
}
