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

/** Any text fit for an error message or a log: a display token is a secret. */
export function redactTokens(text: string): string {
  return text.replace(/sld_[A-Za-z0-9_-]+/g, 'sld_…');
}

export function redactedPrintUrl(o: ResolvedRenderOptions): string {
  return redactTokens(printUrl(o));
}
