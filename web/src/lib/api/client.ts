/**
 * The one way the app talks to Sightline: the SDK's client, made for the current session.
 * Everything else in `lib/api/` adds typed operations the SDK does not cover yet, built on it.
 */
import { createClient, operations, SightlineError, type SightlineClient } from '$sdk';

export type { SightlineClient };

/** Same origin: the API serves the app, so the app's own address is the API's. */
export function apiUrl(): string {
  return window.location.origin;
}

export function clientFor(token: string | undefined, options: { onSocketState?: (s: 'connecting' | 'connected' | 'closed') => void } = {}): SightlineClient {
  return createClient({
    url: apiUrl(),
    ...(token ? { token } : {}),
    ...(options.onSocketState ? { onSocketState: options.onSocketState } : {}),
  });
}

/** A typed document for an operation the SDK has no helper for. */
export function doc<R, V>(text: string): operations.TypedDocumentString<R, V> {
  return new operations.TypedDocumentString<R, V>(text);
}

const WORDS: Record<string, string> = {
  UNAUTHENTICATED: 'Your session has ended. Please log in again.',
  FORBIDDEN: 'Your role does not allow this. Ask an owner of the organization.',
  NOT_FOUND: 'This no longer exists, or you do not have access to it.',
  EMAIL_TAKEN: 'An account with this email already exists. Log in instead.',
  INVALID_CREDENTIALS: 'That email and password do not match.',
  RATE_LIMITED: 'Too many attempts. Wait a minute and try again.',
  CONFLICT: 'Someone saved a newer version meanwhile. Reload to see it, then make your changes again.',
  LAST_OWNER: 'An organization needs at least one owner. Make someone else an owner first.',
  PAYLOAD_TOO_LARGE: 'This is too large to save.',
  NETWORK_ERROR: 'Sightline cannot be reached right now. Check the connection; it will retry.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on the server. Try again; if it keeps happening, the server log says more.',
  RESULT_EXPIRED: 'The result is no longer kept. Run the query again.',
  CANCELLED: 'The query was cancelled.',
};

/** Errors in words, never codes: what happened and what to do. */
export function describeError(err: unknown): string {
  if (err instanceof SightlineError) {
    const words = WORDS[err.code];
    // Input and query errors carry the server's own precise sentence; the rest get ours.
    if (words && err.code !== 'BAD_USER_INPUT') return words;
    return sentence(err.message);
  }
  if (err instanceof Error) return sentence(err.message);
  return 'Something went wrong.';
}

function sentence(message: string): string {
  const m = message.trim();
  if (!m) return 'Something went wrong.';
  const capital = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export function errorCode(err: unknown): string | undefined {
  return err instanceof SightlineError ? err.code : undefined;
}
