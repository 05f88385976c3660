/**
 * The read side every org-scoped model shares: a loadable node (batched, tenant-scoped), a
 * paginated list on Query and a by-id lookup, so each model file only adds what is its own.
 */
import type { SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { AuthScopes } from './builder';
import { builder } from './builder';
import { principalOf, type Context } from './context';
import { mayRead } from '../auth/principal';
import { notFound } from './errors';
import { expectId } from './ids';
import { paginate } from './pagination';
import { orgScoped, type OrgScoped } from '../data/org-scoped';

type OrgTable = PgTable & { id: PgColumn; organizationId: PgColumn };

export function orgCollection<T extends OrgTable, Row extends T['$inferSelect'] & { id: string }>(options: {
  typename: string;
  table: T;
  /** Query field names: the list and the single lookup. */
  list: string;
  single: string;
  description?: string;
  /** Who may look one up by id (lists are for members only). */
  readScope?: Partial<AuthScopes>;
}) {
  const data = orgScoped(options.table) as unknown as OrgScoped<Row, T['$inferInsert']>;
  const readScope = options.readScope ?? { member: true };

  const ref = builder.loadableNodeRef<Row | Error, string, string, string, Row>(options.typename, {
    id: { resolve: (row) => row.id },
    load: async (ids: string[], ctx: Context): Promise<Row[]> => {
      const p = ctx.principal;
      if (!p) return [];
      // A wall display reads only what its token shows.
      return (await data.byIds(ctx.db, p.organizationId, ids)).filter((row) => mayRead(p, options.typename, row.id));
    },
    sort: (row) => row.id,
  });

  builder.queryFields((t) => ({
    [options.list]: t.connection({
      type: ref,
      authScopes: { member: true },
      description: options.description,
      resolve: (_root, args, ctx) =>
        paginate<Row>(args, (page) => data.page(ctx.db, principalOf(ctx).organizationId, page)),
    }),
    [options.single]: t.field({
      type: ref,
      nullable: true,
      authScopes: readScope,
      args: { id: t.arg.id({ required: true }) },
      // The loader turns the id into the row, or null when it is not the caller's.
      resolve: (_root, args) => expectId(String(args.id), options.typename) as never,
    }),
  }));

  /** Loads a row of the caller's organization or fails as not found (for mutations). */
  async function mustGet(ctx: Context, globalId: string, field = 'id'): Promise<Row> {
    const p = principalOf(ctx);
    const row = await data.byId(ctx.db, p.organizationId, expectId(globalId, options.typename, field));
    if (!row || !mayRead(p, options.typename, row.id)) throw notFound(options.typename);
    return row;
  }

  /** Applies a patch to a row of the caller's organization; null when `where` refused it. */
  async function patch(ctx: Context, row: Row, values: Partial<T['$inferInsert']>, where?: SQL): Promise<Row | null> {
    return data.update(ctx.db, principalOf(ctx).organizationId, row.id, values, where);
  }

  /** Deletes by global id and returns the deleted row, or fails as not found. */
  async function remove(ctx: Context, globalId: string): Promise<Row> {
    const id = expectId(globalId, options.typename);
    const row = await data.remove(ctx.db, principalOf(ctx).organizationId, id);
    if (!row) throw notFound(options.typename);
    return row;
  }

  return { ref, data, mustGet, patch, remove };
}
