import { and, eq, inArray } from 'drizzle-orm';
import { memberships, users } from '../../../schema/tables';
import { builder } from '../builder';
import type { Context } from '../context';
import { isUuid } from '../ids';

export type UserRow = typeof users.$inferSelect;

/** Users are visible only as members of the caller's organization. */
async function loadUsers(ids: readonly string[], ctx: Context): Promise<UserRow[]> {
  const valid = ids.filter(isUuid);
  if (!ctx.principal || valid.length === 0) return [];
  const rows = await ctx.db
    .select({ user: users })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(eq(memberships.organizationId, ctx.principal.organizationId), inArray(users.id, valid)));
  return rows.map((r) => r.user);
}

export const UserRef = builder.loadableNode('User', {
  id: { resolve: (u) => u.id },
  load: (ids: string[], ctx: Context) => loadUsers(ids, ctx),
  sort: (u) => u.id,
  authScopes: { member: true },
  fields: (t) => ({
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
