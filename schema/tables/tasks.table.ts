import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { TASK_RUNTIMES } from '../domain/task';
import { createdAt, idColumn, updatedAt } from './columns';
import { organizations } from './organizations.table';
import { users } from './users.table';

export const taskRuntimeEnum = pgEnum('task_runtime', TASK_RUNTIMES);

/** A user script, run in a sandbox on demand or on its schedule. */
export const tasks = pgTable(
  'tasks',
  {
    id: idColumn(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    code: text('code').notNull().default(''),
    runtime: taskRuntimeEnum('runtime').notNull().default('javascript'),
    /** A cron expression, or null for on-demand only. */
    schedule: text('schedule'),
    timezone: text('timezone').notNull().default('UTC'),
    enabled: boolean('enabled').notNull().default(true),
    timeoutSeconds: integer('timeout_seconds').notNull().default(300),
    /** The last schedule time a run was created for: claimed atomically, so it fires once. */
    lastFiredAt: timestamp('last_fired_at', { withTimezone: true, mode: 'date' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('tasks_org_idx').on(t.organizationId, t.id)],
);
