import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { DisplayTarget } from '../domain/display';
import type { ForcedFilter } from '../domain/report';
import { createdAt, idColumn } from './columns';
import { organizations } from './organizations.table';
import { users } from './users.table';

/**
 * A wall display's credential: read-only, limited to one dashboard or one playlist, revocable.
 * Only the SHA-256 of the token is kept.
 */
export const displayTokens = pgTable(
  'display_tokens',
  {
    id: idColumn(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    target: jsonb('target').$type<DisplayTarget>().notNull(),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    /** Report renders: values forced on every query made with this token (a recipient's region). */
    filters: jsonb('filters').$type<ForcedFilter[]>(),
    /** Report renders: the token stops working after this. Wall tokens do not expire. */
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('display_tokens_token_hash_key').on(t.tokenHash), index('display_tokens_org_idx').on(t.organizationId, t.id)],
);
