import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { RUN_KINDS, RUN_STATUSES, RUN_TRIGGERS, type RunParams } from '../domain/run';
import { createdAt, idColumn } from './columns';
import { organizations } from './organizations.table';
import { users } from './users.table';

export const runKindEnum = pgEnum('run_kind', RUN_KINDS);
export const runStatusEnum = pgEnum('run_status', RUN_STATUSES);
export const runTriggerEnum = pgEnum('run_trigger', RUN_TRIGGERS);

/** The history of loads, dataflows, scripts and reports: one row per execution. */
export const runs = pgTable(
  'runs',
  {
    id: idColumn(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: runKindEnum('kind').notNull(),
    /** The datasource, dataflow, task or report this run belongs to. */
    subjectId: uuid('subject_id').notNull(),
    status: runStatusEnum('status').notNull().default('queued'),
    trigger: runTriggerEnum('trigger').notNull().default('manual'),
    params: jsonb('params').$type<RunParams>().notNull(),
    message: text('message'),
    rowsWritten: integer('rows_written'),
    /** The log, capped (RUN_LOG_MAX_BYTES); live lines go over pub/sub. */
    log: text('log').notNull().default(''),
    /** A file the run produced (a report's PDF). */
    outputFileId: uuid('output_file_id'),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('runs_org_idx').on(t.organizationId, t.id), index('runs_subject_idx').on(t.subjectId, t.id)],
);
