/**
 * The three errors this folder lets out, each with a stable `code` and a message meant for the
 * person who configured the source. Messages name URLs without their query string (which may
 * carry an API key) and never contain a secret header's value.
 */

export const SSRF_ERROR_CODES = [
  'BAD_URL',
  'BAD_SCHEME',
  'CREDENTIALS_IN_URL',
  'BLOCKED_ADDRESS',
  'TOO_MANY_REDIRECTS',
  'BAD_REDIRECT',
  'INVALID_ALLOW_LIST',
] as const;
export type SsrfErrorCode = (typeof SSRF_ERROR_CODES)[number];

/** A request the server refuses to make: where it would go is not for users to reach. */
export class SsrfError extends Error {
  override readonly name = 'SsrfError';
  readonly code: SsrfErrorCode;

  constructor(code: SsrfErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export const HTTP_FETCH_ERROR_CODES = [
  'DNS_FAILED',
  'CONNECTION_FAILED',
  'TIMEOUT',
  'ABORTED',
  'RESPONSE_TOO_LARGE',
] as const;
export type HttpFetchErrorCode = (typeof HTTP_FETCH_ERROR_CODES)[number];

/** A permitted request that did not complete: the network, a limit, or the caller stopped it. */
export class HttpFetchError extends Error {
  override readonly name = 'HttpFetchError';
  readonly code: HttpFetchErrorCode;

  constructor(code: HttpFetchErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export const REST_SOURCE_ERROR_CODES = [
  'INVALID_SOURCE',
  'HTTP_STATUS',
  'NOT_JSON',
  'ROWS_NOT_ARRAY',
  'TOO_MANY_ROWS',
  'PAGINATION_LOOP',
  'BAD_CURSOR',
] as const;
export type RestSourceErrorCode = (typeof REST_SOURCE_ERROR_CODES)[number];

/** The API answered, but not with rows we can load. */
export class RestSourceError extends Error {
  override readonly name = 'RestSourceError';
  readonly code: RestSourceErrorCode;

  constructor(code: RestSourceErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Replaces every secret value in a text that may echo what the server was sent. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing another is not half-replaced.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}
