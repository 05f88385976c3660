import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from '../../schema/database';
import { hashToken } from '../../schema/secrets';
import { apiTokens, displayTokens, memberships, sessions } from '../../schema/tables';
import { displayScopeOf } from './display-scope';
import { weakerRole } from '../../schema/domain/roles';
import type { Principal } from './principal';
import { tokenKind } from './tokens';

export type Authentication = { principal: Principal } | { principal: null; reason: 'missing' | 'invalid' };

/** Reads `Authorization: Bearer <token>` and finds the session or API token it names. */
export async function authenticate(db: Db, authorization: string | null): Promise<Authentication> {
  if (!authorization) return { principal: null, reason: 'missing' };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) return { principal: null, reason: 'invalid' };
  const token = match[1];
  const kind = tokenKind(token);
  const hash = hashToken(token);
  const now = new Date();

  if (kind === 'session') {
    const [row] = await db
      .select({ id: sessions.id, userId: sessions.userId, organizationId: sessions.organizationId, role: memberships.role })
      .from(sessions)
      .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.organizationId, sessions.organizationId)))
      .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, now)))
      .limit(1);
    if (!row) return { principal: null, reason: 'invalid' };
    return { principal: { kind: 'session', userId: row.userId, organizationId: row.organizationId, role: row.role, credentialId: row.id } };
  }

  if (kind === 'apiToken') {
    const [row] = await db
      .select({
        id: apiTokens.id,
        userId: apiTokens.userId,
        organizationId: apiTokens.organizationId,
        tokenRole: apiTokens.role,
        memberRole: memberships.role,
      })
      .from(apiTokens)
      .innerJoin(memberships, and(eq(memberships.userId, apiTokens.userId), eq(memberships.organizationId, apiTokens.organizationId)))
      .where(and(eq(apiTokens.tokenHash, hash), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))))
      .limit(1);
    if (!row) return { principal: null, reason: 'invalid' };
    // A token never outranks its creator: demoting or removing the member demotes or kills it.
    const role = weakerRole(row.tokenRole, row.memberRole);
    void db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id)).catch(() => {});
    return { principal: { kind: 'apiToken', userId: row.userId, organizationId: row.organizationId, role, credentialId: row.id } };
  }

  if (kind === 'display') {
    const [row] = await db.select().from(displayTokens).where(eq(displayTokens.tokenHash, hash)).limit(1);
    if (!row || (row.expiresAt && row.expiresAt <= now)) return { principal: null, reason: 'invalid' };
    void db.update(displayTokens).set({ lastUsedAt: now }).where(eq(displayTokens.id, row.id)).catch(() => {});
    return {
      principal: {
        kind: 'display',
        userId: row.createdBy ?? '',
        organizationId: row.organizationId,
        role: 'viewer',
        credentialId: row.id,
        display: { ...(await displayScopeOf(db, row.organizationId, row.id, row.target)), filters: row.filters ?? [] },
      },
    };
  }

  return { principal: null, reason: 'invalid' };
}
