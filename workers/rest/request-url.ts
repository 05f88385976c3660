import { SsrfError } from './errors';

const FETCHABLE_PROTOCOLS = new Set(['http:', 'https:']);

/** A URL as messages show it: no credentials, no query string or fragment (they carry keys). */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export interface FetchUrl {
  url: URL;
  /** How messages name it: the caller's own spelling ("http://127.1/") or where a redirect led. */
  label: string;
}

/**
 * Parses a URL the server is asked to fetch, or a redirect's target relative to `from`.
 * WHATWG parsing rewrites every IPv4 spelling (`127.1`, `0x7f.1`, `0177.0.0.1`, `2130706433`)
 * to dotted quad, so the address checks only ever see canonical literals.
 */
export function parseFetchUrl(input: string, from?: URL): FetchUrl {
  const where = from ? `The redirect from ${displayUrl(from)}` : 'The URL';
  let url: URL;
  try {
    url = new URL(input, from);
  } catch {
    // The text is not echoed: it may hold credentials we could not find in it.
    throw new SsrfError(from ? 'BAD_REDIRECT' : 'BAD_URL', `${where} is not a valid absolute http(s) URL`);
  }
  const shown = displayUrl(url);
  const label = from ? `${shown} (redirected from ${displayUrl(from)})` : spelling(input, url);
  if (!FETCHABLE_PROTOCOLS.has(url.protocol)) {
    const scheme = url.protocol.slice(0, -1);
    throw new SsrfError(
      'BAD_SCHEME',
      from
        ? `${where} leads to a ${scheme}: URL; only http and https are followed`
        : `${shown} uses ${scheme}:, but only http and https URLs are fetched`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new SsrfError(
      'CREDENTIALS_IN_URL',
      `${from ? `${where} leads to a URL with` : `${shown} has`} a user name or password in it; credentials belong in a secret header`,
    );
  }
  if (url.hostname === '') throw new SsrfError('BAD_URL', `${shown} has no host`);
  return { url, label };
}

/** The caller's spelling without query or fragment, when it holds no credentials. */
function spelling(input: string, url: URL): string {
  const bare = input.trim().split(/[?#]/, 1)[0] ?? '';
  return url.username === '' && url.password === '' && !bare.includes('@') ? bare : displayUrl(url);
}

/** The host as `net.connect` takes it: IPv6 literals without their brackets. */
export function socketHost(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
