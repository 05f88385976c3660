import { index, integer, jsonb, pgEnum, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { QUERY_JOB_STATUSES, type QueryJobError } from '../domain/query-job';
import { createdAt, idColumn } from './columns';
import { datasources } from './datasources.table';
import { organizations } from './organizations.table';
import { users } from './users.table';

export const queryJobStatusEnum = pgEnum('query_job_status', QUERY_JOB_STATUSES);

/** One execution of a query on a datasource: its state, timings and outcome. */
export const queryJobs = pgTable(
  'query_jobs',
  {
    id: idColumn(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    datasourceId: uuid('datasource_id')
      .notNull()
      .references(() => datasources.id, { onDelete: 'cascade' }),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    status: queryJobStatusEnum('status').notNull().default('QUEUED'),
    query: jsonb('query').$type<unknown>().notNull(),
    cacheKey: text('cache_key').notNull(),
    progress: real('progress').notNull().default(0),
    rowCount: integer('row_count'),
    error: jsonb('error').$type<QueryJobError>(),
    queuedAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('query_jobs_org_idx').on(t.organizationId, t.id), index('query_jobs_datasource_idx').on(t.datasourceId)],
);
