/** What a render is asked to do, checked once at the door. */
import { z } from 'zod';
import { RenderError } from './errors';
import { PAGE_SIZES, type Orientation, type PageSize } from './paper';

export interface RenderOptions {
  /** The platform's own base URL (scheme, host, port), e.g. http://127.0.0.1:4000. */
  origin: string;
  /** The dashboard's GraphQL id. */
  dashboardId: string;
  /** A display token (`sld_…`) that may show the dashboard. */
  token: string;
  /** A tab id, or every tab. */
  tab: string | 'all';
  /** The report's title; the dashboard's name when absent. */
  title?: string;
  /** The moment the report stands for; now when absent. */
  timestamp?: Date | string;
  /** An IANA time zone for the timestamp (and the page); UTC when absent. */
  timeZone?: string;
  pageSize?: PageSize;
  orientation?: Orientation;
  /** How long one widget may take before it is shown as timed out (default 60 s). */
  widgetTimeoutMs?: number;
  /** How long to wait for the whole page before forcing late widgets to time out (default 120 s). */
  totalTimeoutMs?: number;
  /** Number and date formats of the page (default en-US). */
  locale?: string;
  signal?: AbortSignal;
}

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not a known IANA time zone');

const origin = z.string().transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a URL' });
    return z.NEVER;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be http or https' });
  // The app is served at the root of its origin; a path would be silently ignored otherwise.
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'must be only scheme, host and port (no path, query, fragment or credentials)' });
  }
  return url.origin;
});

const schema = z.object({
  origin,
  dashboardId: z.string().min(1).max(200),
  token: z.string().regex(/^sld_[A-Za-z0-9_-]+$/, 'must be a display token (sld_…)'),
  tab: z.string().min(1).max(200),
  title: z.string().trim().max(300).optional(),
  timestamp: z
    .union([z.date(), z.string()])
    .optional()
    .transform((v, ctx) => {
      const t = v === undefined ? Date.now() : v instanceof Date ? v.getTime() : Date.parse(v);
      if (!Number.isFinite(t)) {
        ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
        return z.NEVER;
      }
      return new Date(t).toISOString();
    }),
  timeZone: timeZone.optional().default('UTC'),
  pageSize: z.enum(PAGE_SIZES).optional().default('A4'),
  orientation: z.enum(['portrait', 'landscape']).optional().default('portrait'),
  widgetTimeoutMs: z.number().int().positive().max(3_600_000).optional().default(60_000),
  totalTimeoutMs: z.number().int().positive().max(3_600_000).optional().default(120_000),
  locale: z.string().min(2).max(35).optional().default('en-US'),
  signal: z.instanceof(AbortSignal).optional(),
});

export type ResolvedRenderOptions = z.output<typeof schema>;

export function resolveRenderOptions(options: RenderOptions): ResolvedRenderOptions {
  const r = schema.safeParse(options);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.join('.') || 'options';
  throw new RenderError('INVALID_OPTIONS', `Report options: ${where} ${issue.message}`);
}
