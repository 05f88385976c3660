import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { hashToken } from '../../../schema/secrets';
import { datasources, invitations, memberships, organizations, users } from '../../../schema/tables';
import type { Role } from '../../../schema/domain/roles';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../../auth/passwords';
import { createSession, deleteSession } from '../../data/sessions';
import { builder } from '../builder';
import { principalOf, type Context } from '../context';
import { apiError, fromZodIssues } from '../errors';
import { expectId } from '../ids';
import { OrganizationMembershipRef, OrganizationRef, organizationNameSchema, organizationsOfUser, type OrganizationRow } from './organization';
import { RoleEnum } from './role';
import { UserRef, type UserRow } from './user';

const emailSchema = z.string().trim().toLowerCase().pipe(z.email('must be an email address')).pipe(z.string().max(254));
const passwordSchema = z.string().min(10, 'must have at least 10 characters').max(200, 'must have at most 200 characters');

interface AuthPayload {
  token: string;
  user: UserRow;
  organization: OrganizationRow;
  role: Role;
}

const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
  description: 'A new session. Send `token` as `Authorization: Bearer <token>`.',
  fields: (t) => ({
    token: t.exposeString('token'),
    user: t.field({ type: UserRef, resolve: (p) => p.user }),
    organization: t.field({ type: OrganizationRef, resolve: (p) => p.organization }),
    role: t.field({ type: RoleEnum, resolve: (p) => p.role }),
  }),
});

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    name: t.string(),
    organizationName: t.string({ description: 'The new organization; omit when joining with invitationToken.' }),
    invitationToken: t.string({ description: 'Joins the inviting organization instead of creating one.' }),
  }),
});

const LogInInput = builder.inputType('LogInInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    organizationId: t.id({ description: 'The organization to act in; defaults to the first one.' }),
  }),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZodIssues(r.error.issues, field);
  return r.data;
}

/**
 * The rest of the request acts as the new session, so the payload's user and organization
 * resolve under the same tenancy rules as any later request.
 */
function actAs(ctx: Context, userId: string, organizationId: string, role: Role) {
  ctx.principal = { kind: 'session', userId, organizationId, role, credentialId: '' };
  ctx.authFailure = null;
}

/** A new organization starts with the sample datasource, when the server offers one. */
async function addSample(tx: Pick<Context['db'], 'insert'>, ctx: Context, organizationId: string, userId: string) {
  const sample = ctx.services.sampleDatasource;
  if (!sample) return;
  await tx.insert(datasources).values({ organizationId, createdBy: userId, ...sample });
}

/** A pending invitation by its token, or a typed error. */
async function openInvitation(ctx: Context, token: string) {
  const [invitation] = await ctx.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, hashToken(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, new Date())))
    .limit(1);
  if (!invitation) throw apiError('NOT_FOUND', 'invitation not found, expired or already used');
  return invitation;
}

builder.mutationField('signUp', (t) =>
  t.field({
    type: AuthPayloadRef,
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const email = parse(emailSchema, input.email, 'input.email');
      const password = parse(passwordSchema, input.password, 'input.password');
      const name = parse(z.string().trim().max(200), input.name ?? '', 'input.name');
      const invitation = input.invitationToken ? await openInvitation(ctx, input.invitationToken) : null;
      if (invitation && invitation.email !== email) throw apiError('FORBIDDEN', 'this invitation was sent to another email address');
      if (!invitation && !ctx.services.allowSignUp) throw apiError('FORBIDDEN', 'sign-up is closed on this server: ask for an invitation');
      const orgName = invitation ? null : parse(organizationNameSchema, input.organizationName ?? '', 'input.organizationName');
      const passwordHash = await hashPassword(password);

      const result = await ctx.db.transaction(async (tx) => {
        const inserted = await tx.insert(users).values({ email, name, passwordHash }).onConflictDoNothing().returning();
        const user = inserted[0];
        if (!user) throw apiError('EMAIL_TAKEN', 'an account with this email already exists: log in instead', { field: 'input.email' });
        let organization: OrganizationRow;
        let role: Role;
        if (invitation) {
          [organization] = (await tx.select().from(organizations).where(eq(organizations.id, invitation.organizationId))) as [OrganizationRow];
          role = invitation.role;
          await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, invitation.id));
        } else {
          [organization] = (await tx.insert(organizations).values({ name: orgName! }).returning()) as [OrganizationRow];
          role = 'owner';
          await addSample(tx, ctx, organization.id, user.id);
        }
        await tx.insert(memberships).values({ organizationId: organization.id, userId: user.id, role });
        return { user, organization, role };
      });
      const token = await createSession(ctx.db, result.user.id, result.organization.id, ctx.services.sessionTtlHours);
      actAs(ctx, result.user.id, result.organization.id, result.role);
      ctx.services.logger.info({ userId: result.user.id, organizationId: result.organization.id }, 'sign-up');
      return { token, ...result };
    },
  }),
);

builder.mutationField('logIn', (t) =>
  t.field({
    type: AuthPayloadRef,
    args: { input: t.arg({ type: LogInInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const email = String(input.email).trim().toLowerCase();
      const wait = await ctx.services.loginLimiter.attempt(email, ctx.clientAddress);
      if (wait !== null) throw apiError('RATE_LIMITED', `too many login attempts: try again in ${wait} seconds`, { retryAfterSeconds: wait });
      const [user] = await ctx.db.select().from(users).where(eq(users.email, email)).limit(1);
      // Hash even for an unknown email, so response time does not reveal which emails exist.
      const ok = await verifyPassword(String(input.password), user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) throw apiError('INVALID_CREDENTIALS', 'email or password is incorrect');
      await ctx.services.loginLimiter.succeeded(email, ctx.clientAddress);

      const orgs = await organizationsOfUser(ctx, user.id);
      const wanted = input.organizationId ? expectId(String(input.organizationId), 'Organization', 'input.organizationId') : null;
      const chosen = wanted ? orgs.find((o) => o.organization.id === wanted) : orgs[0];
      if (!chosen) throw apiError(wanted ? 'NOT_FOUND' : 'FORBIDDEN', wanted ? 'organization not found' : 'this account belongs to no organization');
      const token = await createSession(ctx.db, user.id, chosen.organization.id, ctx.services.sessionTtlHours);
      actAs(ctx, user.id, chosen.organization.id, chosen.role);
      return { token, user, organization: chosen.organization, role: chosen.role };
    },
  }),
);

builder.mutationField('logOut', (t) =>
  t.boolean({
    description: 'Ends the current session. API tokens are revoked with revokeApiToken instead.',
    authScopes: { person: true },
    resolve: async (_root, _args, ctx) => {
      const p = principalOf(ctx);
      await deleteSession(ctx.db, p.credentialId);
      await ctx.services.principals.changed(p.organizationId);
      return true;
    },
  }),
);

/** Opens a session in another organization the user belongs to, or in a new one. */
builder.mutationFields((t) => ({
  switchOrganization: t.field({
    type: AuthPayloadRef,
    authScopes: { person: true },
    args: { organizationId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const id = expectId(String(args.organizationId), 'Organization', 'organizationId');
      const chosen = (await organizationsOfUser(ctx, p.userId)).find((o) => o.organization.id === id);
      if (!chosen) throw apiError('NOT_FOUND', 'organization not found');
      const [user] = await ctx.db.select().from(users).where(eq(users.id, p.userId));
      const token = await createSession(ctx.db, p.userId, id, ctx.services.sessionTtlHours);
      actAs(ctx, p.userId, id, chosen.role);
      return { token, user: user!, organization: chosen.organization, role: chosen.role };
    },
  }),
  createOrganization: t.field({
    type: AuthPayloadRef,
    authScopes: { person: true },
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const name = parse(organizationNameSchema, args.name, 'name');
      const organization = await ctx.db.transaction(async (tx) => {
        const [org] = await tx.insert(organizations).values({ name }).returning();
        await tx.insert(memberships).values({ organizationId: org!.id, userId: p.userId, role: 'owner' });
        await addSample(tx, ctx, org!.id, p.userId);
        return org!;
      });
      const [user] = await ctx.db.select().from(users).where(eq(users.id, p.userId));
      const token = await createSession(ctx.db, p.userId, organization.id, ctx.services.sessionTtlHours);
      actAs(ctx, p.userId, organization.id, 'owner');
      return { token, user: user!, organization, role: 'owner' as const };
    },
  }),
}));

const ViewerRef = builder.objectRef<{ userId: string; organizationId: string; role: Role; kind: string }>('Viewer').implement({
  description: 'The caller: who they are, where they act, with which role.',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (v) => v.userId }),
    organization: t.field({ type: OrganizationRef, resolve: (v) => v.organizationId }),
    role: t.field({ type: RoleEnum, resolve: (v) => v.role }),
    authenticatedWith: t.string({ description: '"session" or "apiToken".', resolve: (v) => v.kind }),
    organizations: t.field({
      type: [OrganizationMembershipRef],
      resolve: (v, _args, ctx) => organizationsOfUser(ctx, v.userId),
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    authScopes: { member: true },
    resolve: (_root, _args, ctx) => principalOf(ctx),
  }),
);
