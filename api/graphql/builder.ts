import type { StagedUpload } from '../server/uploads/staged-upload';
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
  /** A wall display: reads its own dashboards or playlist and runs their queries, nothing else. */
  wall: boolean;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    Upload: { Input: StagedUpload; Output: never };
  };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Without this, a subscription's scopes would only be checked when its first event resolves.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => {
      const member = ctx.principal !== null && ctx.principal.kind !== 'display';
      return {
        member,
        editor: member && roleAtLeast(ctx.principal!.role, 'editor'),
        owner: member && roleAtLeast(ctx.principal!.role, 'owner'),
        person: ctx.principal?.kind === 'session',
        wall: ctx.principal?.kind === 'display',
      };
    },
    unauthorizedError: (_parent, ctx) => {
      if (!ctx.principal) {
        return ctx.authFailure === 'invalid'
          ? apiError('UNAUTHENTICATED', 'the bearer token is invalid, expired or revoked: log in again')
          : apiError('UNAUTHENTICATED', 'authentication required: send Authorization: Bearer <token>');
      }
      if (ctx.principal.kind === 'display') return apiError('FORBIDDEN', 'a display token only shows its dashboards');
      return apiError('FORBIDDEN', `your role (${ctx.principal.role}) does not allow this`);
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodeQueryOptions: { nullable: true, authScopes: { member: true, wall: true } },
    nodesQueryOptions: { nullable: { list: false, items: true }, authScopes: { member: true, wall: true } },
  },
});

builder.queryType({});
builder.mutationType({});
