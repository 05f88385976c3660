/**
 * Queries for tables whose rows belong to an organization. Every read and write goes through
 * here with the caller's organization, so a foreign id is indistinguishable from a missing one.
 */
import { and, asc, desc, eq, gt, inArray, lt, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../schema/database';
import { isUuid } from '../graphql/ids';

type OrgTable = PgTable & { id: PgColumn; organizationId: PgColumn };

export interface PageArgs {
  before?: string;
  after?: string;
  limit: number;
  inverted: boolean;
}

export interface OrgScoped<Row, Insert> {
  byIds(db: Db, organizationId: string, ids: readonly string[]): Promise<Row[]>;
  byId(db: Db, organizationId: string, id: string): Promise<Row | null>;
  /** Newest first; `after` continues towards older rows. */
  page(db: Db, organizationId: string, args: PageArgs, where?: SQL): Promise<Row[]>;
  insert(db: Db, values: Insert): Promise<Row>;
  update(db: Db, organizationId: string, id: string, patch: Partial<Insert>, where?: SQL): Promise<Row | null>;
  remove(db: Db, organizationId: string, id: string): Promise<Row | null>;
}

export function orgScoped<T extends OrgTable>(table: T): OrgScoped<T['$inferSelect'], T['$inferInsert']> {
  // drizzle's generic builders lose the row type through a generic table; the public
  // signature above restores it.
  type Row = T['$inferSelect'];
  const t = table as unknown as PgTable & { id: PgColumn; organizationId: PgColumn };
  const scope = (organizationId: string, id: string) => and(eq(t.organizationId, organizationId), eq(t.id, id));

  return {
    async byIds(db, organizationId, ids) {
      const valid = [...new Set(ids)].filter(isUuid);
      if (valid.length === 0) return [];
      const rows = await db.select().from(t).where(and(eq(t.organizationId, organizationId), inArray(t.id, valid)));
      return rows as Row[];
    },
    async byId(db, organizationId, id) {
      if (!isUuid(id)) return null;
      const rows = await db.select().from(t).where(scope(organizationId, id)).limit(1);
      return (rows[0] as Row | undefined) ?? null;
    },
    async page(db, organizationId, { before, after, limit, inverted }, where) {
      const conditions: (SQL | undefined)[] = [eq(t.organizationId, organizationId), where];
      if (after) conditions.push(lt(t.id, after));
      if (before) conditions.push(gt(t.id, before));
      const rows = await db
        .select()
        .from(t)
        .where(and(...conditions))
        .orderBy(inverted ? asc(t.id) : desc(t.id))
        .limit(limit);
      return rows as Row[];
    },
    async insert(db, values) {
      const rows = await db.insert(t).values(values as never).returning();
      return rows[0] as Row;
    },
    async update(db, organizationId, id, patch, where) {
      if (!isUuid(id)) return null;
      const rows = await db
        .update(t)
        .set(patch as never)
        .where(and(scope(organizationId, id), where))
        .returning();
      return (rows[0] as Row | undefined) ?? null;
    },
    async remove(db, organizationId, id) {
      if (!isUuid(id)) return null;
      const rows = await db.delete(t).where(scope(organizationId, id)).returning();
      return (rows[0] as Row | undefined) ?? null;
    },
  };
}
