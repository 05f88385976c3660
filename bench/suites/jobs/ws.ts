/** A graphql-ws client on the bench platform, with subscriptions as callbacks. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export const WATCH_JOB = `subscription($id: ID!) { queryJob(id: $id) { status result { rows rowCount } } }`;

export interface JobEvent {
  status: string;
  result: { rows: unknown[][]; rowCount: number } | null;
}

export function wsClient(url: string, token: string): Client {
  return createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
  });
}

/** Follows a job; `onEvent` gets each state. Returns the unsubscribe function. */
export function watchJob(client: Client, jobId: string, onEvent: (event: JobEvent) => void, onError: (err: unknown) => void): () => void {
  return client.subscribe<{ queryJob: JobEvent }>(
    { query: WATCH_JOB, variables: { id: jobId } },
    {
      next: (r) => {
        if (r.data) onEvent(r.data.queryJob);
        else if (r.errors) onError(new Error(JSON.stringify(r.errors)));
      },
      error: onError,
      complete: () => {},
    },
  );
}
