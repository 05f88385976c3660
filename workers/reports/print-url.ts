/** The address of the web app's print view for a render (see web/src/lib/print/params.ts). */
import type { ResolvedRenderOptions } from './render-options';

export function printUrl(o: ResolvedRenderOptions): string {
  const q = new URLSearchParams({
    token: o.token,
    dashboard: o.dashboardId,
    tab: o.tab,
    at: o.timestamp!,
    tz: o.timeZone,
    widgetTimeoutMs: String(o.widgetTimeoutMs),
    paper: o.pageSize,
    orientation: o.orientation,
  });
  if (o.title) q.set('title', o.title);
  return `${o.origin}/print?${q}`;
}

/** The same address fit for an error message or a log: the token is a secret. */
export function redactedPrintUrl(o: ResolvedRenderOptions): string {
  return printUrl(o).replace(/token=sld_[^&]*/, 'token=sld_…');
}
