/**
 * The print view's address: `/print?token=sld_…&dashboard=<id>&tab=<tab id>|all&title=…&at=<ISO>
 * &tz=<IANA zone>&widgetTimeoutMs=<ms>&paper=A4|Letter|A3&orientation=portrait|landscape`.
 * Read once; anything missing or malformed falls back to a safe default rather than failing,
 * except the token, which the page cannot do without.
 */
import { PAPER_SIZES, type Orientation, type PaperSize } from './paper';

export const DEFAULT_WIDGET_TIMEOUT_MS = 60_000;

export interface PrintParams {
  token: string;
  dashboardId: string | null;
  /** A tab id, or every tab. */
  tab: string | 'all';
  title: string | null;
  /** The moment the report stands for (ms since epoch). */
  at: number;
  /** A valid IANA zone; UTC when none or an unknown one was given. */
  timeZone: string;
  widgetTimeoutMs: number;
  paper: PaperSize;
  orientation: Orientation;
}

function validZone(tz: string | null): string | null {
  if (!tz) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}

export function readPrintParams(search: URLSearchParams, now: number = Date.now()): PrintParams {
  const at = Date.parse(search.get('at') ?? '');
  const timeout = Number.parseInt(search.get('widgetTimeoutMs') ?? '', 10);
  const paper = search.get('paper');
  const title = search.get('title')?.trim();
  return {
    token: search.get('token') ?? '',
    dashboardId: search.get('dashboard') || null,
    tab: search.get('tab') || 'all',
    title: title ? title : null,
    at: Number.isFinite(at) ? at : now,
    timeZone: validZone(search.get('tz')) ?? 'UTC',
    widgetTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_WIDGET_TIMEOUT_MS,
    paper: paper && paper in PAPER_SIZES ? (paper as PaperSize) : 'A4',
    orientation: search.get('orientation') === 'landscape' ? 'landscape' : 'portrait',
  };
}

/** "12 March 2025, 09:30 CET": the report's moment as people read it, in the report's zone. */
export function formatPrintedAt(at: number, timeZone: string): string {
  // dateStyle cannot be combined with timeZoneName, and the zone must be printed.
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(at);
}
