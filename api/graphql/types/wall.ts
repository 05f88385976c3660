/**
 * Wall displays: a display token (read-only, one dashboard or one playlist, revocable) opens a
 * kiosk view. `wall` says what to show; `wallUpdates` pushes it again whenever the playlist or
 * one of its dashboards changes, and ends when the token is revoked.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { hashToken } from '../../../schema/secrets';
import { dashboards, displayTokens, playlists } from '../../../schema/tables';
import type { DisplayTarget } from '../../../schema/domain/display';
import { authenticate } from '../../auth/authenticate';

import type { Principal } from '../../auth/principal';
import { newToken } from '../../auth/tokens';
import { orgScoped } from '../../data/org-scoped';
import { closable } from '../../jobs/closable-iterator';
import { builder } from '../builder';
import { principalOf, type Context } from '../context';
import { apiError, badInput, notFound } from '../errors';
import { encodeGlobalId, expectId } from '../ids';
import { paginate } from '../pagination';
import { check } from '../validate';
import { DashboardRef } from './dashboard';
import { OrganizationRef } from './organization';
import { playlistCollection } from './playlist';

type DisplayTokenRow = typeof displayTokens.$inferSelect;
type DashboardRow = typeof dashboards.$inferSelect;
type PlaylistRow = typeof playlists.$inferSelect;
const tokenData = orgScoped(displayTokens);

export const DisplayTokenRef = builder.loadableNode('DisplayToken', {
  id: { resolve: (t) => t.id },
  load: async (ids: string[], ctx: Context) => (ctx.principal && !ctx.principal.display ? tokenData.byIds(ctx.db, ctx.principal.organizationId, ids) : []),
  sort: (t) => t.id,
  authScopes: { editor: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    targetKind: t.string({ description: '"dashboard" or "playlist".', resolve: (r) => r.target.kind }),
    targetId: t.id({ resolve: (r) => encodeGlobalId(r.target.kind === 'dashboard' ? 'Dashboard' : 'Playlist', r.target.id) }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectFields(OrganizationRef, (t) => ({
  displayTokens: t.connection({
    type: DisplayTokenRef,
    authScopes: { editor: true },
    resolve: (org, args, ctx) => paginate<DisplayTokenRow>(args, (page) => tokenData.page(ctx.db, org.id, page)),
  }),
}));

const DisplayTokenPayload = builder.objectRef<{ displayToken: DisplayTokenRow; token: string }>('DisplayTokenPayload').implement({
  description: 'The token is shown only here: open `/wall?token=…` on the display.',
  fields: (t) => ({
    displayToken: t.field({ type: DisplayTokenRef, resolve: (p) => p.displayToken }),
    token: t.exposeString('token'),
  }),
});

const CreateDisplayTokenInput = builder.inputType('CreateDisplayTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    dashboardId: t.id({ description: 'Show this dashboard…' }),
    playlistId: t.id({ description: '…or rotate through this playlist.' }),
  }),
});

interface Wall {
  principal: Principal;
  playlist: PlaylistRow | null;
  dashboards: DashboardRow[];
}

const WallRef = builder.objectRef<Wall>('Wall').implement({
  description: 'What a wall display shows: its dashboards in order, and the playlist that rotates them.',
  fields: (t) => ({
    playlist: t.field({ type: playlistCollection.ref, nullable: true, resolve: (w) => w.playlist }),
    dashboards: t.field({ type: [DashboardRef], resolve: (w) => w.dashboards }),
    theme: t.string({ description: '"dark" or "light".', resolve: (w) => w.playlist?.theme ?? 'dark' }),
  }),
});

async function loadWall(ctx: Context, principal: Principal): Promise<Wall> {
  const scope = principal.display!;
  const ids = [...scope.dashboardIds];
  const rows = ids.length
    ? await ctx.db.select().from(dashboards).where(and(eq(dashboards.organizationId, principal.organizationId), inArray(dashboards.id, ids)))
    : [];
  const playlist = scope.playlistId
    ? ((await ctx.db.select().from(playlists).where(and(eq(playlists.organizationId, principal.organizationId), eq(playlists.id, scope.playlistId))))[0] ?? null)
    : null;
  // Playlist order, then the rest (a dashboard target has one).
  const order = playlist ? playlist.items.map((i) => { try { return expectId(i.dashboardId, 'Dashboard'); } catch { return ''; } }) : ids;
  rows.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return { principal, playlist, dashboards: rows };
}

builder.queryField('wall', (t) =>
  t.field({
    type: WallRef,
    description: 'For a display token: what to show.',
    authScopes: { wall: true },
    resolve: (_root, _args, ctx) => loadWall(ctx, principalOf(ctx)),
  }),
);

builder.subscriptionField('wallUpdates', (t) =>
  t.field({
    type: WallRef,
    description: 'For a display token: what to show now, and again after every change to it. Ends when the token is revoked.',
    authScopes: { wall: true },
    subscribe: (_root, _args, ctx) => {
      const first = principalOf(ctx);
      const bearer = `Bearer ${ctx.bearerToken ?? ''}`;
      return closable(async function* (closed) {
        const { inbox, stop } = await ctx.services.content.listen(first.organizationId, closed);
        try {
          let principal = first;
          yield await loadWall(ctx, principal);
          for (;;) {
            const change = await inbox.next(60_000);
            if (closed.aborted) return;
            const again = await authenticate(ctx.db, bearer);
            if (!again.principal) throw apiError('UNAUTHENTICATED', 'this display token was revoked');
            const scope = again.principal.display!;
            const relevant =
              change === null ||
              (change.kind === 'dashboard' && (scope.dashboardIds.has(change.id) || principal.display!.dashboardIds.has(change.id))) ||
              (change.kind === 'playlist' && scope.playlistId === change.id);
            principal = again.principal;
            if (relevant && change !== null) yield await loadWall(ctx, principal);
          }
        } finally {
          stop();
        }
      });
    },
    resolve: (wall) => wall,
  }),
);

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);

builder.mutationFields((t) => ({
  createDisplayToken: t.field({
    type: DisplayTokenPayload,
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateDisplayTokenInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      if ((input.dashboardId == null) === (input.playlistId == null)) throw badInput('give either dashboardId or playlistId', 'input');
      const target: DisplayTarget = input.dashboardId != null
        ? { kind: 'dashboard', id: expectId(String(input.dashboardId), 'Dashboard', 'input.dashboardId') }
        : { kind: 'playlist', id: expectId(String(input.playlistId), 'Playlist', 'input.playlistId') };
      const table = target.kind === 'dashboard' ? dashboards : playlists;
      const [exists] = await ctx.db.select({ id: table.id }).from(table).where(and(eq(table.organizationId, p.organizationId), eq(table.id, target.id)));
      if (!exists) throw notFound(target.kind === 'dashboard' ? 'Dashboard' : 'Playlist');
      const token = newToken('display');
      const displayToken = await tokenData.insert(ctx.db, {
        organizationId: p.organizationId,
        name: check(nameSchema, input.name, 'input.name'),
        target,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 10),
        createdBy: p.userId,
      });
      return { displayToken, token };
    },
  }),
  revokeDisplayToken: t.field({
    type: DisplayTokenRef,
    description: 'The display stops at once: its open connection ends and the token no longer works.',
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const p = principalOf(ctx);
      const row = await tokenData.remove(ctx.db, p.organizationId, expectId(String(id), 'DisplayToken'));
      if (!row) throw notFound('DisplayToken');
      await ctx.services.content.publish(p.organizationId, { kind: 'displayToken', id: row.id });
      return row;
    },
  }),
}));

