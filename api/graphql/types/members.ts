import { and, count, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { hashToken } from '../../../schema/secrets';
import { invitations, memberships, users } from '../../../schema/tables';
import type { Role } from '../../../schema/domain/roles';
import { newToken } from '../../auth/tokens';
import { orgScoped } from '../../data/org-scoped';
import { builder } from '../builder';
import { principalOf, type Context } from '../context';
import { apiError, fromZodIssues, notFound } from '../errors';
import { expectId } from '../ids';
import { paginate } from '../pagination';
import { OrganizationRef } from './organization';
import { RoleEnum } from './role';
import { UserRef } from './user';

type MembershipRow = typeof memberships.$inferSelect;
type InvitationRow = typeof invitations.$inferSelect;

const membershipData = orgScoped(memberships);
const invitationData = orgScoped(invitations);
const INVITATION_TTL_DAYS = 7;

export const MembershipRef = builder.loadableNode('Membership', {
  id: { resolve: (m) => m.id },
  load: async (ids: string[], ctx: Context) => (ctx.principal ? membershipData.byIds(ctx.db, ctx.principal.organizationId, ids) : []),
  sort: (m) => m.id,
  authScopes: { member: true },
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (m) => m.userId }),
    role: t.field({ type: RoleEnum, resolve: (m) => m.role }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const InvitationRef = builder.loadableNode('Invitation', {
  id: { resolve: (i) => i.id },
  load: async (ids: string[], ctx: Context) => (ctx.principal ? invitationData.byIds(ctx.db, ctx.principal.organizationId, ids) : []),
  sort: (i) => i.id,
  authScopes: { owner: true },
  fields: (t) => ({
    email: t.exposeString('email'),
    role: t.field({ type: RoleEnum, resolve: (i) => i.role }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectFields(OrganizationRef, (t) => ({
  members: t.connection({
    type: MembershipRef,
    authScopes: { member: true },
    resolve: (org, args, ctx) => paginate<MembershipRow>(args, (page) => membershipData.page(ctx.db, org.id, page)),
  }),
  invitations: t.connection({
    type: InvitationRef,
    description: 'Invitations not yet accepted (owners only).',
    authScopes: { owner: true },
    resolve: (org, args, ctx) =>
      paginate<InvitationRow>(args, (page) => invitationData.page(ctx.db, org.id, page, isNull(invitations.acceptedAt))),
  }),
}));

const InvitationPayload = builder.objectRef<{ invitation: InvitationRow; token: string }>('InvitationPayload').implement({
  description: 'The invitation and its one-time token (shown only now): send it to the invitee.',
  fields: (t) => ({
    invitation: t.field({ type: InvitationRef, resolve: (p) => p.invitation }),
    token: t.exposeString('token'),
  }),
});

/** An organization always keeps at least one owner. */
async function assertNotLastOwner(ctx: Context, target: MembershipRow) {
  if (target.role !== 'owner') return;
  const [row] = await ctx.db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, target.organizationId), eq(memberships.role, 'owner'), ne(memberships.id, target.id)));
  if ((row?.n ?? 0) === 0) throw apiError('LAST_OWNER', 'an organization needs at least one owner: make someone else owner first');
}

builder.mutationFields((t) => ({
  inviteMember: t.field({
    type: InvitationPayload,
    authScopes: { owner: true },
    args: { email: t.arg.string({ required: true }), role: t.arg({ type: RoleEnum, required: true }) },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const email = z.string().trim().toLowerCase().pipe(z.email('must be an email address')).safeParse(args.email);
      if (!email.success) throw fromZodIssues(email.error.issues, 'email');
      const already = await ctx.db
        .select({ id: memberships.id })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.organizationId, p.organizationId), eq(users.email, email.data)))
        .limit(1);
      if (already.length > 0) throw apiError('CONFLICT', 'this person is already a member', { field: 'email' });
      const token = newToken('invitation');
      const invitation = await invitationData.insert(ctx.db, {
        organizationId: p.organizationId,
        email: email.data,
        role: args.role,
        tokenHash: hashToken(token),
        invitedBy: p.userId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
      });
      return { invitation, token };
    },
  }),
  revokeInvitation: t.field({
    type: InvitationRef,
    authScopes: { owner: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = expectId(String(args.id), 'Invitation');
      const row = await invitationData.remove(ctx.db, principalOf(ctx).organizationId, id);
      if (!row) throw notFound('invitation');
      return row;
    },
  }),
  acceptInvitation: t.field({
    type: MembershipRef,
    description: 'Joins the inviting organization with the logged-in account; switch to it with switchOrganization.',
    authScopes: { person: true },
    args: { token: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const [user] = await ctx.db.select().from(users).where(eq(users.id, p.userId));
      return ctx.db.transaction(async (tx) => {
        const [invitation] = await tx
          .update(invitations)
          .set({ acceptedAt: new Date() })
          .where(and(eq(invitations.tokenHash, hashToken(args.token)), isNull(invitations.acceptedAt)))
          .returning();
        if (!invitation || invitation.expiresAt < new Date()) throw apiError('NOT_FOUND', 'invitation not found, expired or already used');
        if (invitation.email !== user?.email) throw apiError('FORBIDDEN', 'this invitation was sent to another email address');
        const [membership] = await tx
          .insert(memberships)
          .values({ organizationId: invitation.organizationId, userId: p.userId, role: invitation.role })
          .onConflictDoNothing()
          .returning();
        if (!membership) throw apiError('CONFLICT', 'you are already a member of this organization');
        return membership;
      });
    },
  }),
  updateMemberRole: t.field({
    type: MembershipRef,
    authScopes: { owner: true },
    args: { id: t.arg.id({ required: true }), role: t.arg({ type: RoleEnum, required: true }) },
    resolve: async (_root, args, ctx) => {
      const orgId = principalOf(ctx).organizationId;
      const id = expectId(String(args.id), 'Membership');
      const target = await membershipData.byId(ctx.db, orgId, id);
      if (!target) throw notFound('member');
      if (args.role !== 'owner') await assertNotLastOwner(ctx, target);
      const row = await membershipData.update(ctx.db, orgId, id, { role: args.role as Role });
      if (!row) throw notFound('member');
      await ctx.services.principals.changed(orgId);
      return row;
    },
  }),
  removeMember: t.field({
    type: MembershipRef,
    authScopes: { owner: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const orgId = principalOf(ctx).organizationId;
      const id = expectId(String(args.id), 'Membership');
      const target = await membershipData.byId(ctx.db, orgId, id);
      if (!target) throw notFound('member');
      await assertNotLastOwner(ctx, target);
      const row = await membershipData.remove(ctx.db, orgId, id);
      if (!row) throw notFound('member');
      await ctx.services.principals.changed(orgId);
      return row;
    },
  }),
}));

