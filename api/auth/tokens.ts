import { randomBytes } from 'node:crypto';

/** Token kinds by prefix, so a leaked token is recognisable (and scannable) at a glance. */
export const TOKEN_PREFIX = { session: 'sls_', apiToken: 'slt_', invitation: 'sli_', display: 'sld_' } as const;
export type TokenKind = keyof typeof TOKEN_PREFIX;

export function newToken(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function tokenKind(token: string): TokenKind | null {
  for (const [kind, prefix] of Object.entries(TOKEN_PREFIX) as [TokenKind, string][]) {
    if (token.startsWith(prefix)) return kind;
  }
  return null;
}
