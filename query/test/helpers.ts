import { expect } from 'vitest';
import { QueryError } from '../errors';
import type { QueryErrorJSON } from '../errors';

/** Runs `fn`, expecting a QueryError, and returns its JSON form. */
export function errorOf(fn: () => unknown): QueryErrorJSON {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QueryError);
    return (e as QueryError).toJSON();
  }
  throw new Error('expected a QueryError, got none');
}
