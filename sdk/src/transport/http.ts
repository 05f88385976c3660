import { errorFromGraphQL, NetworkError, type GraphQLErrorShape } from '../errors.js';
import type { RequestTransport } from './types.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpTransportOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  endpoint: string;
  token: string | undefined;
  fetch: FetchLike;
}

interface GraphQLResponse {
  data?: unknown;
  errors?: GraphQLErrorShape[];
}

function isGraphQLResponse(body: unknown): body is GraphQLResponse {
  return typeof body === 'object' && body !== null && ('data' in body || 'errors' in body);
}

export function createHttpTransport(options: HttpTransportOptions): RequestTransport {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  };
  return {
    async request(document, variables, signal) {
      let response: Response;
      try {
        response = await options.fetch(options.endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: document.toString(), variables }),
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        throw new NetworkError(`could not reach ${options.endpoint}: ${(err as Error).message}`, { cause: err });
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        throw new NetworkError(`${options.endpoint} answered ${response.status} without a GraphQL response`, { status: response.status, cause: err });
      }
      if (!isGraphQLResponse(body)) throw new NetworkError(`${options.endpoint} answered ${response.status} without a GraphQL response`, { status: response.status });
      if (body.errors && body.errors.length > 0) throw errorFromGraphQL(body.errors);
      if (body.data === null || body.data === undefined) throw new NetworkError(`${options.endpoint} answered ${response.status} without data`, { status: response.status });
      // The document's result type is what the server promises for this operation.
      return body.data as never;
    },
  };
}
