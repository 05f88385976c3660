import { eq } from 'drizzle-orm';
import type { Db } from '../../schema/database';
import { hashToken } from '../../schema/secrets';
import { sessions } from '../../schema/tables';
import { newToken } from '../auth/tokens';

/** Opens a session in an organization and returns its bearer token (shown once, stored hashed). */
export async function createSession(db: Db, userId: string, organizationId: string, ttlHours: number): Promise<string> {
  const token = newToken('session');
  await db.insert(sessions).values({
    userId,
    organizationId,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + ttlHours * 3600_000),
  });
  return token;
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}
