import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { DATASOURCE_KINDS, type DatasourceConnection, type DatasourceSource } from '../domain/datasource';
import type { FormulaDef } from '../../query/types';
import { createdAt, idColumn, updatedAt } from './columns';
import { organizations } from './organizations.table';
import { users } from './users.table';

export const datasourceKindEnum = pgEnum('datasource_kind', DATASOURCE_KINDS);

/**
 * A table-like source queries run against. Non-secret connection fields are plain JSONB;
 * secrets (passwords) are sealed with the server's key and never leave the API.
 */
export const datasources = pgTable(
  'datasources',
  {
    id: idColumn(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: datasourceKindEnum('kind').notNull(),
    connection: jsonb('connection').$type<DatasourceConnection>().notNull(),
    /** AES-256-GCM sealed JSON of the secret fields, or null when there are none. */
    secrets: text('secrets'),
    source: jsonb('source').$type<DatasourceSource>().notNull(),
    formulas: jsonb('formulas').$type<FormulaDef[]>().notNull().default([]),
    cacheTtlSeconds: integer('cache_ttl_seconds').notNull().default(300),
    /** Bumped whenever the data behind the datasource changes: part of every cache key. */
    dataVersion: integer('data_version').notNull().default(1),
    /** REST sources: a cron expression for refreshes, evaluated in `timezone`. */
    refreshSchedule: text('refresh_schedule'),
    timezone: text('timezone').notNull().default('UTC'),
    lastFiredAt: timestamp('last_fired_at', { withTimezone: true, mode: 'date' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('datasources_org_idx').on(t.organizationId, t.id)],
);
