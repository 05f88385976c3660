import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { LoadMode } from '../domain/warehouse';
import { createdAt, idColumn, updatedAt } from './columns';
import { datasources } from './datasources.table';
import { organizations } from './organizations.table';
import { tasks } from './tasks.table';
import { users } from './users.table';

/** ETL: a query on one datasource whose result becomes a warehouse table. */
export const dataflows = pgTable(
  'dataflows',
  {
    id: idColumn(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    sourceDatasourceId: uuid('source_datasource_id')
      .notNull()
      .references(() => datasources.id, { onDelete: 'cascade' }),
    query: jsonb('query').$type<unknown>().notNull(),
    targetTable: text('target_table').notNull(),
    /** The warehouse datasource over the target table, created with the dataflow. */
    targetDatasourceId: uuid('target_datasource_id').references(() => datasources.id, { onDelete: 'set null' }),
    mode: text('mode').$type<LoadMode>().notNull().default('replace'),
    /** A script (task) run as the dataflow's next step once the table is written; its failure fails the run. */
    afterTaskId: uuid('after_task_id').references(() => tasks.id, { onDelete: 'set null' }),
    schedule: text('schedule'),
    timezone: text('timezone').notNull().default('UTC'),
    enabled: boolean('enabled').notNull().default(true),
    /** The last schedule time a run was created for: claimed atomically, so it fires once. */
    lastFiredAt: timestamp('last_fired_at', { withTimezone: true, mode: 'date' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('dataflows_org_idx').on(t.organizationId, t.id)],
);
