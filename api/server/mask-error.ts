import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';

interface GraphQLErrorLike extends Error {
  extensions?: Record<string, unknown>;
  originalError?: unknown;
  path?: readonly (string | number)[];
}

// graphql ships CommonJS and ESM builds; libraries may load either, so `instanceof` is unreliable.
const isGraphQLError = (e: unknown): e is GraphQLErrorLike => e instanceof Error && e.name === 'GraphQLError';

/**
 * What clients may learn from an error: our typed errors pass; graphql-js input errors get a
 * code; anything else is logged here and reaches the client as a bare INTERNAL_SERVER_ERROR,
 * never with a stack, SQL or a driver message.
 */
export function createMaskError(logger: Logger) {
  return (error: unknown): Error => {
    const wrapper = isGraphQLError(error) ? error : null;
    const original = wrapper ? (wrapper.originalError ?? null) : error;
    const path = wrapper?.path;
    if (wrapper && (original === null || isGraphQLError(original))) {
      // Our typed errors carry a code; graphql-js input errors say more on the wrapper
      // (`Variable "$i" got invalid value … at "i.name"`).
      const code = original?.extensions?.['code'];
      const source = code ? original! : wrapper;
      return new GraphQLError(source.message, { path, extensions: { ...source.extensions, code: code ?? source.extensions?.['code'] ?? 'BAD_USER_INPUT' } });
    }
    if (original instanceof Error && original.name === 'PothosValidationError') {
      return new GraphQLError(original.message, { path, extensions: { code: 'BAD_USER_INPUT' } });
    }
    logger.error({ err: original, path }, 'unexpected error in a resolver');
    return new GraphQLError('Unexpected error.', { path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}
