import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { PlaylistItem, WallTheme } from '../domain/playlist';
import { createdAt, idColumn, updatedAt } from './columns';
import { organizations } from './organizations.table';

/** Dashboards a wall display rotates through. */
export const playlists = pgTable(
  'playlists',
  {
    id: idColumn(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    items: jsonb('items').$type<PlaylistItem[]>().notNull().default([]),
    theme: text('theme').$type<WallTheme>().notNull().default('dark'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('playlists_org_idx').on(t.organizationId, t.id)],
);
