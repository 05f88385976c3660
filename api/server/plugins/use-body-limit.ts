import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * Refuses oversized requests before their body is read. POST bodies must declare their length,
 * so a slow or endless chunked body cannot hold the server's memory.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  const refuse = (fetchAPI: { Response: typeof Response }, status: number, message: string) =>
    new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'LENGTH_REQUIRED' } }] }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const header = request.headers.get('content-length');
      if (header === null) {
        endResponse(refuse(fetchAPI, 411, 'POST requests must send Content-Length'));
      } else if (Number(header) > maxBytes) {
        endResponse(refuse(fetchAPI, 413, `request body too large: at most ${maxBytes} bytes`));
      }
    },
    onParams({ params }) {
      if (params.query && params.query.length > maxBytes) throw createGraphQLError('query too large', { extensions: { code: 'PAYLOAD_TOO_LARGE' } });
    },
  };
}
