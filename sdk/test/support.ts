/** Shared pieces of the SDK tests: a server to talk to, a cuttable link to it, waiting for events. */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';
import { createClient, type ClientOptions, type SightlineClient } from '../src';

export { WebSocket };

/** A client of `url` with `token`, on Node's `ws`, quick to reconnect (tests cut links on purpose). */
export function clientFor(url: string, token: string | undefined, options: Partial<ClientOptions> = {}): SightlineClient {
  return createClient({ url, ...(token ? { token } : {}), webSocketImpl: WebSocket, maxRetryDelayMs: 500, ...options });
}

/**
 * A TCP proxy between the SDK and the server. `cut()` drops every open connection the way a
 * network failure would; new connections go through again.
 */
export interface Proxy {
  url: string;
  connections: number;
  cut(): void;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<Proxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((inbound) => {
    connections++;
    const outbound = connect(Number(port), hostname);
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    get connections() {
      return connections;
    },
    cut() {
      for (const s of open) s.destroy();
    },
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The next event of a stream, or a failure naming what was awaited. */
export async function nextWithin<T>(stream: AsyncIterator<T>, what: string, timeoutMs = 20_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
  try {
    const next = await Promise.race([stream.next(), timeout]);
    if (next.done) throw new Error(`the stream ended while waiting for ${what}`);
    return next.value;
  } finally {
    clearTimeout(timer);
  }
}

/** Events until one satisfies `until` (returned last). */
export async function until<T>(stream: AsyncIterator<T>, what: string, done: (event: T) => boolean, timeoutMs = 20_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  const seen: T[] = [];
  for (;;) {
    const event = await nextWithin(stream, what, Math.max(1, deadline - Date.now()));
    seen.push(event);
    if (done(event)) return seen;
  }
}
