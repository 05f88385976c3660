import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../schema/database';
import type { DisplayTarget } from '../../schema/domain/display';
import { dashboards, playlists } from '../../schema/tables';
import { decodeGlobalId } from '../graphql/ids';
import type { DisplayScope } from './principal';

function rowIdOf(globalId: string | null): string | null {
  if (!globalId) return null;
  try {
    return decodeGlobalId(globalId).id;
  } catch {
    return null;
  }
}

/** Works out what a display token's target lets it read, as of now. */
export async function displayScopeOf(db: Db, organizationId: string, tokenId: string, target: DisplayTarget): Promise<DisplayScope> {
  let dashboardIds: string[] = [];
  let playlistId: string | null = null;
  if (target.kind === 'dashboard') {
    dashboardIds = [target.id];
  } else {
    const [playlist] = await db
      .select({ id: playlists.id, items: playlists.items })
      .from(playlists)
      .where(and(eq(playlists.organizationId, organizationId), eq(playlists.id, target.id)));
    if (playlist) {
      playlistId = playlist.id;
      dashboardIds = playlist.items.map((i) => rowIdOf(i.dashboardId)).filter((x): x is string => x !== null);
    }
  }
  const rows = dashboardIds.length
    ? await db
        .select({ id: dashboards.id, model: dashboards.model })
        .from(dashboards)
        .where(and(eq(dashboards.organizationId, organizationId), inArray(dashboards.id, dashboardIds)))
    : [];
  const datasourceIds = new Set<string>();
  for (const row of rows) {
    for (const tab of row.model.tabs) for (const w of tab.widgets) {
      const id = rowIdOf(w.datasourceId);
      if (id) datasourceIds.add(id);
    }
  }
  return { tokenId, target, playlistId, dashboardIds: new Set(rows.map((r) => r.id)), datasourceIds };
}
