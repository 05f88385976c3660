import { z } from 'zod';
import { RestSourceError, SsrfError } from './errors';
import { parseFetchUrl } from './request-url';

/**
 * A REST/JSON source as stored: where to fetch, how to page, where the rows are. Secret headers
 * (Authorization, API keys) are not part of it: the API keeps them encrypted and hands them to
 * the fetch already decrypted, separately.
 */

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Set by the HTTP layer itself; letting users set them would desynchronise the request. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
  'accept-encoding',
]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

const headerValue = z
  .string()
  .max(8192)
  .refine((v) => !/[\r\n\0]/.test(v), { message: 'must not contain line breaks or NUL' });

function headerRecord(kind: 'plain' | 'secret') {
  return z.record(z.string().min(1).max(256), headerValue).superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      const lower = name.toLowerCase();
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is not a valid header name' });
      } else if (TRANSPORT_HEADERS.has(lower)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is set by the server itself' });
      } else if (kind === 'plain' && CREDENTIAL_HEADERS.has(lower)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'carries credentials: give it as a secret header, which is stored encrypted' });
      }
    }
  });
}

export const secretHeadersSchema = headerRecord('secret');

const httpUrl = z
  .string()
  .trim()
  .max(4096)
  .superRefine((url, ctx) => {
    try {
      parseFetchUrl(url);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof SsrfError ? err.message : 'is not a valid URL' });
    }
  });

/** A path to a value inside a JSON body: keys (or array indexes) joined by dots; '' is the body itself. */
export const jsonPathSchema = z
  .string()
  .max(512)
  .regex(/^$|^[^.]+(?:\.[^.]+)*$/, { message: 'must be keys joined by dots, like data.items (or empty for the whole body)' });

const paramName = z.string().trim().min(1).max(128);

export const paginationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  /** `?page=1`, `?page=2`, … until a page holds no rows. */
  z
    .strictObject({
      kind: z.literal('page'),
      pageParam: paramName,
      startPage: z.int().min(0).max(1_000_000).default(1),
      pageSizeParam: paramName.optional(),
      pageSize: z.int().min(1).max(100_000).optional(),
    })
    .refine((p) => (p.pageSizeParam === undefined) === (p.pageSize === undefined), {
      message: 'pageSizeParam and pageSize go together',
      path: ['pageSize'],
    }),
  /** `?offset=0&limit=100`, `?offset=100&limit=100`, … until a page holds fewer than `limit` rows. */
  z.strictObject({
    kind: z.literal('offset'),
    offsetParam: paramName,
    limitParam: paramName,
    limit: z.int().min(1).max(100_000),
  }),
  /** The body names the next page's cursor at `cursorPath`; it is sent as `?cursorParam=…` until it is null or absent. */
  z.strictObject({ kind: z.literal('cursor'), cursorPath: jsonPathSchema.min(1), cursorParam: paramName }),
  /** Follows the `Link: <…>; rel="next"` response header (RFC 8288) until there is none. */
  z.strictObject({ kind: z.literal('link') }),
]);

export const MAX_PAGES_LIMIT = 10_000;

export const restSourceSchema = z
  .strictObject({
    url: httpUrl,
    method: z.enum(['GET', 'POST']).default('GET'),
    headers: headerRecord('plain').default({}),
    /** JSON text sent as the body of a POST; pagination parameters still go in the query string. */
    body: z
      .string()
      .max(1_048_576)
      .refine(isJsonText, { message: 'must be JSON text' })
      .optional(),
    rowsPath: jsonPathSchema.default(''),
    pagination: paginationSchema.default({ kind: 'none' }),
    maxPages: z.int().min(1).max(MAX_PAGES_LIMIT).default(100),
  })
  .refine((s) => s.body === undefined || s.method === 'POST', { message: 'a body is only sent with POST', path: ['body'] });

export type RestSource = z.output<typeof restSourceSchema>;
/** What may be stored or sent: defaults not yet applied. */
export type RestSourceInput = z.input<typeof restSourceSchema>;
export type RestPagination = RestSource['pagination'];

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function problemsOf(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'source'}: ${issue.message}`)
    .join('; ');
}

/** Validates untrusted settings; the error lists each bad field and never echoes header values. */
export function parseRestSource(input: unknown): RestSource {
  const result = restSourceSchema.safeParse(input);
  if (result.success) return result.data;
  throw new RestSourceError('INVALID_SOURCE', `Invalid REST source — ${problemsOf(result.error)}`);
}

export function parseSecretHeaders(input: unknown): Record<string, string> {
  const result = secretHeadersSchema.safeParse(input);
  if (result.success) return result.data;
  throw new RestSourceError('INVALID_SOURCE', `Invalid secret headers — ${problemsOf(result.error)}`);
}
