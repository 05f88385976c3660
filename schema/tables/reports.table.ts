import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { PdfOptions, Recipient } from '../domain/report';
import { createdAt, idColumn, updatedAt } from './columns';
import { dashboards } from './dashboards.table';
import { organizations } from './organizations.table';
import { runs } from './runs.table';
import { users } from './users.table';

/** A scheduled report: a dashboard, its recipients with their filters, a cron schedule. */
export const reports = pgTable(
  'reports',
  {
    id: idColumn(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    dashboardId: uuid('dashboard_id')
      .notNull()
      .references(() => dashboards.id, { onDelete: 'cascade' }),
    recipients: jsonb('recipients').$type<Recipient[]>().notNull().default([]),
    options: jsonb('options').$type<PdfOptions>().notNull(),
    subject: text('subject'),
    message: text('message'),
    schedule: text('schedule'),
    timezone: text('timezone').notNull().default('UTC'),
    enabled: boolean('enabled').notNull().default(true),
    lastFiredAt: timestamp('last_fired_at', { withTimezone: true, mode: 'date' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('reports_org_idx').on(t.organizationId, t.id)],
);

/**
 * One email of a report run. The row is written when the server accepted the mail, and a run
 * taken over after a crash skips recipients that have one: no one gets the same report twice.
 */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: idColumn(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    fileId: uuid('file_id'),
    messageId: text('message_id'),
    sentAt: createdAt(),
  },
  (t) => [uniqueIndex('report_deliveries_run_email_key').on(t.runId, t.email)],
);
