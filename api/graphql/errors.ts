/**
 * The typed errors of the API: every error a client sees has a stable `extensions.code` and
 * words that say what and where. Anything else is masked by the server as an unexpected error.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'EMAIL_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'LAST_OWNER';

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const notFound = (what: string) => apiError('NOT_FOUND', `${what} not found`);

export const badInput = (message: string, field?: string) =>
  apiError('BAD_USER_INPUT', field ? `${field}: ${message}` : message, field ? { field } : {});

/** Turns a zod failure into BAD_USER_INPUT naming the first offending path. */
export function fromZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix: string): GraphQLError {
  const first = issues[0];
  const path = [prefix, ...(first?.path ?? []).map(String)].filter(Boolean).join('.');
  return badInput(first?.message ?? 'invalid value', path || undefined);
}
