import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import { roleAtLeast } from '../../schema/domain/roles';
import type { Context } from './context';
import { apiError } from './errors';
import { decodeGlobalId, encodeGlobalId } from './ids';

export interface AuthScopes {
  /** Any member of the organization (viewer and up). */
  member: boolean;
  editor: boolean;
  owner: boolean;
  /** A logged-in person (not an API token): for account-level actions. */
  person: boolean;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      member: ctx.principal !== null,
      editor: ctx.principal !== null && roleAtLeast(ctx.principal.role, 'editor'),
      owner: ctx.principal !== null && roleAtLeast(ctx.principal.role, 'owner'),
      person: ctx.principal?.kind === 'session',
    }),
    unauthorizedError: (_parent, ctx) => {
      if (!ctx.principal) {
        return ctx.authFailure === 'invalid'
          ? apiError('UNAUTHENTICATED', 'the bearer token is invalid, expired or revoked: log in again')
          : apiError('UNAUTHENTICATED', 'authentication required: send Authorization: Bearer <token>');
      }
      return apiError('FORBIDDEN', `your role (${ctx.principal.role}) does not allow this`);
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodeQueryOptions: { nullable: true, authScopes: { member: true } },
    nodesQueryOptions: { nullable: { list: false, items: true }, authScopes: { member: true } },
  },
});

builder.queryType({});
builder.mutationType({});
