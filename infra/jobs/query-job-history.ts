/**
 * The history row of a query job, written by both sides of the queue: the producer inserts it
 * when it queues the job, the worker upserts each state, and either may land first. Written as
 * SQL of our own rather than through the query builder, which took ~0.3 ms of CPU to build
 * each statement on the path of every cold query; values are bound parameters and names come
 * from the table definition.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { queryJobs } from '../../schema/tables';
import type { QueryJobSnapshot } from '../../schema/jobs/query-job-contract';

const name = (column: AnyPgColumn) => sql.identifier(column.name);

/** What a state changes in its row; every other column is set once, at insert. */
const STATE_COLUMNS = [queryJobs.status, queryJobs.progress, queryJobs.rowCount, queryJobs.error, queryJobs.startedAt, queryJobs.finishedAt];
const ALL_COLUMNS = [
  queryJobs.id,
  queryJobs.organizationId,
  queryJobs.datasourceId,
  queryJobs.requestedBy,
  queryJobs.query,
  queryJobs.cacheKey,
  queryJobs.queuedAt,
  ...STATE_COLUMNS,
];

const COLUMN_LIST = sql.join(ALL_COLUMNS.map(name), sql`, `);
const TAKE_NEW_STATE = sql.join(
  STATE_COLUMNS.map((c) => sql`${name(c)} = excluded.${name(c)}`),
  sql`, `,
);
// A finished row is never taken back to an earlier state, whatever order the writes land in.
const STILL_ACTIVE = sql`${queryJobs}.${name(queryJobs.status)} in ('QUEUED', 'RUNNING')`;

function rowValues(snapshot: QueryJobSnapshot, cacheKey: string): SQL {
  const values: unknown[] = [
    snapshot.id,
    snapshot.organizationId,
    snapshot.datasourceId,
    snapshot.requestedBy,
    JSON.stringify(snapshot.query ?? null),
    cacheKey,
    snapshot.queuedAt,
    snapshot.status,
    snapshot.progress,
    snapshot.result?.rowCount ?? null,
    snapshot.error === null ? null : JSON.stringify(snapshot.error),
    snapshot.startedAt,
    snapshot.finishedAt,
  ];
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/** Inserts the row unless it exists (the worker may have written it first). */
export function insertHistory(snapshot: QueryJobSnapshot, cacheKey: string): SQL {
  return sql`insert into ${queryJobs} (${COLUMN_LIST}) values (${rowValues(snapshot, cacheKey)}) on conflict (${name(queryJobs.id)}) do nothing`;
}

/** Writes a state: the whole row if it is not there yet, else its state columns. */
export function upsertHistory(snapshot: QueryJobSnapshot, cacheKey: string): SQL {
  return sql`insert into ${queryJobs} (${COLUMN_LIST}) values (${rowValues(snapshot, cacheKey)}) on conflict (${name(queryJobs.id)}) do update set ${TAKE_NEW_STATE} where ${STILL_ACTIVE}`;
}
