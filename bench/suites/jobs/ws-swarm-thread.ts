/**
 * Thousands of WebSocket clients in a worker thread: graphql-ws clients following one query
 * job, or raw `ws` clients. Each records when its message arrived (process-wide monotonic
 * clock, comparable with the main thread's), and the thread reports all times at once.
 */
import { parentPort } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { SwarmReply, SwarmRequest } from './ws-swarm';

const WATCH = `subscription($id: ID!) { queryJob(id: $id) { status result { rows rowCount } } }`;
const BATCH = 100;

let graphqlClients: Client[] = [];
let rawClients: WebSocket[] = [];
let onRaw: ((index: number) => void) | null = null;

const reply = (message: SwarmReply) => parentPort?.postMessage(message);
const stamp = () => Number(process.hrtime.bigint());

async function inBatches<T>(count: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += BATCH) out.push(...(await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => open(i + j)))));
  return out;
}

function openGraphql(url: string, token: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false, keepAlive: 0 });
    const off = client.on('connected', () => {
      off();
      resolve(client);
    });
    client.on('error', reject);
  });
}

function openRaw(url: string, index: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('open', () => resolve(socket));
    socket.on('error', reject);
    // Parsed as a graphql-ws client parses every message, so both sides do the same work.
    socket.on('message', (data: Buffer) => {
      JSON.parse(data.toString());
      onRaw?.(index);
    });
  });
}

function follow(jobId: string, finalStatus: string): void {
  const times = new Array<number>(graphqlClients.length).fill(0);
  let subscribed = 0;
  let received = 0;
  graphqlClients.forEach((client, i) => {
    let first = true;
    client.subscribe<{ queryJob: { status: string } }>(
      { query: WATCH, variables: { id: jobId } },
      {
        next: (r) => {
          const at = stamp();
          if (first) {
            first = false;
            if (++subscribed === graphqlClients.length) reply({ kind: 'subscribed' });
          }
          if (r.data?.queryJob.status === finalStatus && times[i] === 0) {
            times[i] = at;
            if (++received === graphqlClients.length) reply({ kind: 'received', times });
          }
        },
        error: (err) => reply({ kind: 'error', message: err instanceof Error ? err.message : JSON.stringify(err) }),
        complete: () => {},
      },
    );
  });
}

function expectRaw(): void {
  const times = new Array<number>(rawClients.length).fill(0);
  let received = 0;
  onRaw = (i) => {
    if (times[i] !== 0) return;
    times[i] = stamp();
    if (++received === rawClients.length) reply({ kind: 'received', times });
  };
  reply({ kind: 'armed' });
}

parentPort?.on('message', (request: SwarmRequest) => {
  const run = async () => {
    switch (request.kind) {
      case 'open-graphql':
        graphqlClients = await inBatches(request.count, () => openGraphql(request.url, request.token));
        return reply({ kind: 'opened' });
      case 'open-raw':
        rawClients = await inBatches(request.count, (i) => openRaw(request.url, i));
        return reply({ kind: 'opened' });
      case 'follow':
        return follow(request.jobId, request.finalStatus);
      case 'expect-raw':
        return expectRaw();
      case 'close':
        await Promise.all(graphqlClients.map((c) => c.dispose()));
        for (const s of rawClients) s.terminate();
        graphqlClients = [];
        rawClients = [];
        return reply({ kind: 'closed' });
    }
  };
  run().catch((err: unknown) => reply({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
});
