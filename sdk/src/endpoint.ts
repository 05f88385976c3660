/**
 * Accepts the server's address in any of the forms people paste (`http://host:4000`,
 * `http://host:4000/graphql`, with or without a trailing slash) and gives both endpoints.
 */
export function graphqlEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/graphql') ? trimmed : `${trimmed}/graphql`;
}

export function websocketEndpoint(url: string): string {
  return graphqlEndpoint(url).replace(/^http(s?):/, 'ws$1:');
}
