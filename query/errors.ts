import type { QueryErrorCode } from './types';

/** Offsets in a formula's text: `start` inclusive, `end` exclusive, 0-based. */
export interface SourceSpan {
  start: number;
  end: number;
}

export interface QueryErrorDetails {
  /** Where in the JSON query, e.g. `filters[1].or[0].value`. */
  path?: string;
  /** The formula the error is in. */
  formula?: string;
  position?: SourceSpan;
}

/** The JSON shape sent to clients: no stack, no internals. */
export interface QueryErrorJSON extends QueryErrorDetails {
  code: QueryErrorCode;
  message: string;
}

/** Every error the query compiler raises for bad input. Anything else is a bug. */
export class QueryError extends Error {
  readonly code: QueryErrorCode;
  readonly path?: string;
  readonly formula?: string;
  readonly position?: SourceSpan;

  constructor(code: QueryErrorCode, message: string, details: QueryErrorDetails = {}) {
    super(message);
    this.name = 'QueryError';
    this.code = code;
    if (details.path !== undefined) this.path = details.path;
    if (details.formula !== undefined) this.formula = details.formula;
    if (details.position !== undefined) this.position = details.position;
  }

  /** Adds the query location to an error raised deeper (inside a formula), keeping the rest. */
  at(path: string): QueryError {
    if (this.path !== undefined) return this;
    const e = new QueryError(this.code, `${this.message} (at ${path})`, {
      path,
      ...(this.formula !== undefined ? { formula: this.formula } : {}),
      ...(this.position !== undefined ? { position: this.position } : {}),
    });
    return e;
  }

  toJSON(): QueryErrorJSON {
    return {
      code: this.code,
      message: this.message,
      ...(this.path !== undefined ? { path: this.path } : {}),
      ...(this.formula !== undefined ? { formula: this.formula } : {}),
      ...(this.position !== undefined ? { position: { ...this.position } } : {}),
    };
  }
}

export function invalid(message: string, path?: string): QueryError {
  return new QueryError('INVALID_QUERY', path ? `${message} (at ${path})` : message, path !== undefined ? { path } : {});
}
