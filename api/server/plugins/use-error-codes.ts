import type { Plugin } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';

/**
 * Gives the errors graphql-js raises itself (parse, validation) a stable code, so every error
 * a client sees can be handled by code. Execution errors are coded by `maskError`.
 */
export function useErrorCodes(): Plugin {
  const tag = (errors: readonly GraphQLError[], code: string) => {
    for (const e of errors) {
      if (!e.extensions?.['code']) (e.extensions as Record<string, unknown>)['code'] = code;
    }
  };
  return {
    onParse: () => ({ result }) => {
      if (result instanceof Error) tag([result as GraphQLError], 'GRAPHQL_PARSE_FAILED');
    },
    onValidate: () => ({ result }) => {
      tag(result as readonly GraphQLError[], "GRAPHQL_VALIDATION_FAILED");
    },
  };
}
