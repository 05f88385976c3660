import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, idColumn } from './columns';

/** A tenant. Every other row belongs to exactly one. */
export const organizations = pgTable('organizations', {
  id: idColumn(),
  name: text('name').notNull(),
  /** The organization's own SMTP server for reports, sealed with the server key; null: the server's. */
  mailSettings: text('mail_settings'),
  createdAt: createdAt(),
});
