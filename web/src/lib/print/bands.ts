/**
 * Paper breaks between pages, and a widget cut in two is unreadable. Widgets whose rows overlap
 * (directly or through a neighbour) form a band; bands are printed one after another, each kept
 * whole on a page when it fits, and each laid out on the dashboard's own 12-column grid.
 */
import type { Widget } from '$lib/dashboard/model';

export interface Band {
  /** The band's first grid row on the dashboard. */
  top: number;
  /** How many grid rows it spans. */
  rows: number;
  /** Its widgets in reading order, with their rows made relative to the band. */
  widgets: Widget[];
}

export function bandsOf(widgets: readonly Widget[]): Band[] {
  // Reading order follows the layout: top to bottom, then left to right (as on screen).
  const ordered = [...widgets].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
  const bands: { top: number; bottom: number; widgets: Widget[] }[] = [];
  for (const w of ordered) {
    const last = bands.at(-1);
    if (last && w.layout.y < last.bottom) {
      last.widgets.push(w);
      last.bottom = Math.max(last.bottom, w.layout.y + w.layout.h);
    } else bands.push({ top: w.layout.y, bottom: w.layout.y + w.layout.h, widgets: [w] });
  }
  return bands.map((b) => ({
    top: b.top,
    rows: b.bottom - b.top,
    widgets: b.widgets.map((w) => ({ ...w, layout: { ...w.layout, y: w.layout.y - b.top } })),
  }));
}
