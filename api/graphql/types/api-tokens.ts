import { and, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { hashToken } from '../../../schema/secrets';
import { apiTokens } from '../../../schema/tables';
import { roleAtLeast, type Role } from '../../../schema/domain/roles';
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

type ApiTokenRow = typeof apiTokens.$inferSelect;
const tokenData = orgScoped(apiTokens);

/** Owners see every token of the organization; others only their own. */
function visibleTokens(ctx: Context): SQL | undefined {
  const p = principalOf(ctx);
  return p.role === 'owner' ? undefined : eq(apiTokens.userId, p.userId);
}

async function loadTokens(ids: readonly string[], ctx: Context): Promise<ApiTokenRow[]> {
  if (!ctx.principal) return [];
  const rows = await tokenData.byIds(ctx.db, ctx.principal.organizationId, ids);
  return ctx.principal.role === 'owner' ? rows : rows.filter((r) => r.userId === ctx.principal!.userId);
}

export const ApiTokenRef = builder.loadableNode('ApiToken', {
  id: { resolve: (t) => t.id },
  load: (ids: string[], ctx: Context) => loadTokens(ids, ctx),
  sort: (t) => t.id,
  authScopes: { editor: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (r) => r.role }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, to tell tokens apart.' }),
    user: t.field({ type: UserRef, resolve: (r) => r.userId }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectFields(OrganizationRef, (t) => ({
  apiTokens: t.connection({
    type: ApiTokenRef,
    authScopes: { editor: true },
    resolve: (org, args, ctx) => paginate<ApiTokenRow>(args, (page) => tokenData.page(ctx.db, org.id, page, visibleTokens(ctx))),
  }),
}));

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    role: t.field({ type: RoleEnum, description: 'Defaults to your own role; never above it.' }),
    expiresInDays: t.int({ description: 'Omit for a token that does not expire.' }),
  }),
});

const ApiTokenPayload = builder.objectRef<{ apiToken: ApiTokenRow; token: string }>('ApiTokenPayload').implement({
  description: 'The token itself is shown only here, once.',
  fields: (t) => ({
    apiToken: t.field({ type: ApiTokenRef, resolve: (p) => p.apiToken }),
    token: t.exposeString('token'),
  }),
});

const inputSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  expiresInDays: z.number().int().min(1).max(3650).nullish(),
});

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: ApiTokenPayload,
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      const parsed = inputSchema.safeParse(input);
      if (!parsed.success) throw fromZodIssues(parsed.error.issues, 'input');
      const role = (input.role ?? p.role) as Role;
      if (!roleAtLeast(p.role, role)) throw apiError('FORBIDDEN', `a token cannot have more rights than your role (${p.role})`, { field: 'input.role' });
      const token = newToken('apiToken');
      const days = parsed.data.expiresInDays;
      const apiToken = await tokenData.insert(ctx.db, {
        organizationId: p.organizationId,
        userId: p.userId,
        name: parsed.data.name,
        role,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 10),
        expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null,
      });
      return { apiToken, token };
    },
  }),
  revokeApiToken: t.field({
    type: ApiTokenRef,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const id = expectId(String(args.id), 'ApiToken');
      const [row] = await ctx.db
        .delete(apiTokens)
        .where(and(eq(apiTokens.organizationId, p.organizationId), eq(apiTokens.id, id), visibleTokens(ctx)))
        .returning();
      if (!row) throw notFound('API token');
      await ctx.services.principals.changed(p.organizationId);
      return row;
    },
  }),
}));
