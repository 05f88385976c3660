/**
 * Typed errors. Every failure the SDK reports is a SightlineError with a stable `code`: the
 * server's `extensions.code`, `NETWORK_ERROR` when the server could not be reached or answered
 * something that is not GraphQL, or a query-language code on a QueryFailedError.
 */

/** Codes the API documents (api/README.md); others may be added by the server. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'EMAIL_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'LAST_OWNER'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK_ERROR'
  | (string & {});

/** A GraphQL error as it arrives on the wire. */
export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export class SightlineError extends Error {
  override name = 'SightlineError';
  readonly code: ErrorCode;
  /** For BAD_USER_INPUT: the input field that was refused (`input.name`). */
  readonly field: string | undefined;
  /** Every error of the response; the first one gives `code` and `message`. */
  readonly errors: readonly GraphQLErrorShape[];

  constructor(code: ErrorCode, message: string, options: { field?: string; errors?: readonly GraphQLErrorShape[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.errors = options.errors ?? [];
  }
}

export class NetworkError extends SightlineError {
  override name = 'NetworkError';
  /** The HTTP status, when there was a response. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('NETWORK_ERROR', message, { cause: options.cause });
    this.status = options.status;
  }
}

/** Stable codes of the query language (docs/query-language.md, "Errors"), plus CANCELLED. */
export type QueryErrorCode = 'UNKNOWN_FIELD' | 'FORMULA_SYNTAX' | 'FORMULA_CYCLE' | 'TYPE_MISMATCH' | 'INVALID_QUERY' | 'CANCELLED' | (string & {});

/** The error part of a FAILED or CANCELLED job, as the API sends it. */
export interface QueryErrorShape {
  code: string;
  message: string;
  path: string | null;
  formula: string | null;
  position: unknown;
}

/** A query job that ended FAILED (a bad query, a database error) or CANCELLED. */
export class QueryFailedError extends SightlineError {
  override name = 'QueryFailedError';
  declare readonly code: QueryErrorCode;
  readonly jobId: string;
  readonly status: 'FAILED' | 'CANCELLED';
  /** Where in the query: a JSON path such as `dimensions[0]`. */
  readonly path: string | undefined;
  /** The formula the error is in, if any. */
  readonly formula: string | undefined;
  /** Where in the formula's text. */
  readonly position: unknown;

  constructor(jobId: string, status: 'FAILED' | 'CANCELLED', error: QueryErrorShape | null) {
    super(error?.code ?? status, error?.message ?? `the query job ended ${status}`);
    this.jobId = jobId;
    this.status = status;
    this.path = error?.path ?? undefined;
    this.formula = error?.formula ?? undefined;
    this.position = error?.position ?? undefined;
  }
}

/** The error a GraphQL response carries, typed by its first error's code. */
export function errorFromGraphQL(errors: readonly GraphQLErrorShape[]): SightlineError {
  const first = errors[0];
  const code = first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  const field = typeof first?.extensions?.field === 'string' ? first.extensions.field : undefined;
  return new SightlineError(code, first?.message ?? 'the server answered with an error', { ...(field === undefined ? {} : { field }), errors });
}
