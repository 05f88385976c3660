import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { DashboardModel } from '../domain/dashboard';
import { createdAt, idColumn, updatedAt } from './columns';
import { organizations } from './organizations.table';
import { users } from './users.table';

/** A dashboard: its whole model (tabs, widgets, layout) is one JSONB document. */
export const dashboards = pgTable(
  'dashboards',
  {
    id: idColumn(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    model: jsonb('model').$type<DashboardModel>().notNull(),
    /** Incremented on every save, so concurrent editors cannot silently overwrite each other. */
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('dashboards_org_idx').on(t.organizationId, t.id)],
);
