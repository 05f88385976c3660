import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { memberships, organizations } from '../../../schema/tables';
import type { Role } from '../../../schema/domain/roles';
import { builder } from '../builder';
import { principalOf, type Context } from '../context';
import { fromZodIssues } from '../errors';
import { encodeGlobalId, isUuid } from '../ids';
import { RoleEnum } from './role';

export type OrganizationRow = typeof organizations.$inferSelect;

/** An organization is visible only to a principal acting in it. */
async function loadOrganizations(ids: readonly string[], ctx: Context): Promise<OrganizationRow[]> {
  const own = ctx.principal?.organizationId;
  if (!own || !ids.includes(own) || !isUuid(own)) return [];
  return ctx.db.select().from(organizations).where(eq(organizations.id, own));
}

export const OrganizationRef = builder.loadableNode('Organization', {
  id: { resolve: (o) => o.id },
  load: (ids: string[], ctx: Context) => loadOrganizations(ids, ctx),
  sort: (o) => o.id,
  authScopes: { member: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const organizationNameSchema = z.string().trim().min(1, 'must not be empty').max(200);

builder.mutationField('renameOrganization', (t) =>
  t.field({
    type: OrganizationRef,
    description: 'Renames the current organization (owners only).',
    authScopes: { owner: true },
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const parsed = organizationNameSchema.safeParse(args.name);
      if (!parsed.success) throw fromZodIssues(parsed.error.issues, 'name');
      const [row] = await ctx.db
        .update(organizations)
        .set({ name: parsed.data })
        .where(eq(organizations.id, principalOf(ctx).organizationId))
        .returning();
      return row!;
    },
  }),
);

/** The organizations the caller belongs to, with the role in each. */
export const OrganizationMembershipRef = builder
  .objectRef<{ organization: OrganizationRow; role: Role }>('OrganizationMembership')
  .implement({
    fields: (t) => ({
      organizationId: t.id({ resolve: (m) => encodeGlobalId('Organization', m.organization.id) }),
      name: t.string({ resolve: (m) => m.organization.name }),
      role: t.field({ type: RoleEnum, resolve: (m) => m.role }),
    }),
  });

export async function organizationsOfUser(ctx: Context, userId: string) {
  const rows = await ctx.db
    .select({ organization: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(organizations.name);
  return rows;
}
