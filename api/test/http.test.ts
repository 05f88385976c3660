/** The HTTP contract other clients rely on: GraphQL over HTTP, GraphiQL served locally, health. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './harness';

describe.each(await backends())('HTTP contract (%s)', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(backend);
  });
  afterAll(() => s.close());

  it('serves GraphiQL from the server itself, with no CDN', async () => {
    const res = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Sightline GraphQL');
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh/);
  });

  it('answers health checks', async () => {
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
  });

  it('reports readiness with its dependency checks', async () => {
    const res = await fetch(`${s.url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, checks: { database: true, redis: true } });
  });

  it('serves Prometheus metrics: requests by outcome, queue depth, subscriptions', async () => {
    const { token } = await s.signUp('Metrics');
    const ds = await s.gql(`mutation { createDatasource(input: {name: "m", kind: SQLITE, connection: {file: "none.sqlite"}, source: {table: "t"}}) { id } }`, {}, token);
    await s.gql(`mutation($id: ID!) { runQuery(datasourceId: $id, query: {bogus: 1}) { status } }`, { id: ds.data!['createDatasource'].id }, token);
    const res = await fetch(`${s.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/sightline_query_requests_total\{outcome="invalid"\} 1/);
    expect(text).toMatch(/sightline_queue_jobs\{queue="queries",state="waiting"\} 0/);
    expect(text).toContain('sightline_process_');
  });

  it('speaks the GraphQL over HTTP media type', async () => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(res.headers.get('content-type')).toMatch(/application\/graphql-response\+json/);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('runs queries over GET but never mutations', async () => {
    const q = encodeURIComponent('{ __typename }');
    const ok = await fetch(`${s.url}/graphql?query=${q}`, { headers: { accept: 'application/json' } });
    expect(await ok.json()).toEqual({ data: { __typename: 'Query' } });
    const m = encodeURIComponent('mutation { logOut }');
    const refused = await fetch(`${s.url}/graphql?query=${m}`, { headers: { accept: 'application/json' } });
    expect(refused.status).toBe(405);
  });
});
