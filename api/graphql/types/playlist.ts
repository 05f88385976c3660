import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { playlistItemSchema, WALL_THEMES, type PlaylistItem, type WallTheme } from '../../../schema/domain/playlist';
import { dashboards, playlists } from '../../../schema/tables';
import { builder } from '../builder';
import { orgCollection } from '../collection';
import { principalOf, type Context } from '../context';
import { apiError, badInput, notFound } from '../errors';
import { decodeGlobalId } from '../ids';
import { check } from '../validate';

type PlaylistRow = typeof playlists.$inferSelect;

export const playlistCollection = orgCollection<typeof playlists, PlaylistRow>({
  typename: 'Playlist',
  table: playlists,
  list: 'playlists',
  single: 'playlist',
  description: 'Playlists of dashboards for wall displays, newest first.',
  readScope: { member: true, wall: true },
});

const ThemeEnum = builder.enumType('WallTheme', {
  values: Object.fromEntries(WALL_THEMES.map((v) => [v.toUpperCase(), { value: v }])) as Record<Uppercase<WallTheme>, { value: WallTheme }>,
});

const PlaylistItemRef = builder.objectRef<PlaylistItem>('PlaylistItem').implement({
  fields: (t) => ({
    dashboardId: t.exposeID('dashboardId'),
    durationSeconds: t.exposeInt('durationSeconds'),
  }),
});

playlistCollection.ref.implement({
  authScopes: { member: true, wall: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    items: t.field({ type: [PlaylistItemRef], resolve: (p) => p.items }),
    theme: t.field({ type: ThemeEnum, resolve: (p) => p.theme }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const ItemInput = builder.inputType('PlaylistItemInput', {
  fields: (t) => ({ dashboardId: t.id({ required: true }), durationSeconds: t.int() }),
});

const PlaylistInput = builder.inputType('PlaylistInput', {
  fields: (t) => ({
    name: t.string(),
    items: t.field({ type: [ItemInput] }),
    theme: t.field({ type: ThemeEnum }),
  }),
});

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);

/** Every item must name a dashboard of the caller's organization. */
async function checkItems(ctx: Context, input: readonly { dashboardId: string | number; durationSeconds?: number | null }[]) {
  const items = check(
    z.array(playlistItemSchema).max(100),
    input.map((i) => ({ dashboardId: String(i.dashboardId), ...(i.durationSeconds == null ? {} : { durationSeconds: i.durationSeconds }) })),
    'input.items',
  );
  const ids = items.map((item, i) => {
    let decoded;
    try {
      decoded = decodeGlobalId(item.dashboardId);
    } catch {
      throw badInput('is not a valid id', `input.items.${i}.dashboardId`);
    }
    if (decoded.typename !== 'Dashboard') throw badInput('is not a Dashboard id', `input.items.${i}.dashboardId`);
    return decoded.id;
  });
  if (ids.length > 0) {
    const found = await ctx.db
      .select({ id: dashboards.id })
      .from(dashboards)
      .where(and(eq(dashboards.organizationId, principalOf(ctx).organizationId), inArray(dashboards.id, ids)));
    const known = new Set(found.map((r) => r.id));
    ids.forEach((id, i) => {
      if (!known.has(id)) throw apiError('NOT_FOUND', `input.items.${i}.dashboardId: dashboard not found`, { field: `input.items.${i}.dashboardId` });
    });
  }
  return items;
}

builder.mutationFields((t) => ({
  createPlaylist: t.field({
    type: playlistCollection.ref,
    authScopes: { editor: true },
    args: { input: t.arg({ type: PlaylistInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      playlistCollection.data.insert(ctx.db, {
        organizationId: principalOf(ctx).organizationId,
        name: check(nameSchema, input.name ?? '', 'input.name'),
        items: await checkItems(ctx, input.items ?? []),
        theme: input.theme ?? 'dark',
      }) as Promise<PlaylistRow>,
  }),
  updatePlaylist: t.field({
    type: playlistCollection.ref,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: PlaylistInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await playlistCollection.mustGet(ctx, String(id));
      const patch: Partial<typeof playlists.$inferInsert> = {};
      if (input.name != null) patch.name = check(nameSchema, input.name, 'input.name');
      if (input.items != null) patch.items = await checkItems(ctx, input.items);
      if (input.theme != null) patch.theme = input.theme;
      const row = await playlistCollection.patch(ctx, current, patch);
      if (!row) throw notFound('Playlist');
      await ctx.services.content.publish(row.organizationId, { kind: 'playlist', id: row.id });
      return row;
    },
  }),
  deletePlaylist: t.field({
    type: playlistCollection.ref,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const row = await playlistCollection.remove(ctx, String(id));
      await ctx.services.content.publish(row.organizationId, { kind: 'playlist', id: row.id });
      return row;
    },
  }),
}));
