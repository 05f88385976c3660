/**
 * A stand-in for the API on 127.0.0.1: records what reaches it, answers /health, a viewer
 * query on /graphql, echoes on a WebSocket, and holds /wait/<gate> until the test opens that
 * gate, so a test can look at a script while it is surely still running.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeApi {
  port: number;
  seen: SeenRequest[];
  /** Answers the requests held on /wait/<gate>, and those that come later. */
  release(gate: string): void;
  close(): Promise<void>;
}

export const VIEWER = { authenticatedWith: 'API_TOKEN', role: 'MEMBER', user: null, organization: { id: 'org_1', name: 'Acme' } };

export async function startFakeApi(): Promise<FakeApi> {
  const seen: SeenRequest[] = [];
  const held = new Map<string, ServerResponse[]>();
  const open = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/health') return res.end('healthy');
      if (req.url === '/graphql') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ data: { viewer: VIEWER } }));
      }
      const gate = /^\/wait\/(.+)$/.exec(req.url ?? '')?.[1];
      if (gate !== undefined) {
        if (open.has(gate)) return res.end('go');
        return void held.set(gate, [...(held.get(gate) ?? []), res]);
      }
      res.statusCode = 404;
      res.end();
    });
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo: ${String(data)}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as { port: number }).port,
    seen,
    release(gate) {
      open.add(gate);
      for (const res of held.get(gate) ?? []) res.end('go');
      held.delete(gate);
    },
    async close() {
      for (const res of [...held.values()].flat()) res.destroy();
      held.clear();
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
