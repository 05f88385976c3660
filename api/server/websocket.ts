/**
 * GraphQL over WebSocket (graphql-ws) on the API's HTTP server, at the same path as HTTP.
 * Operations run through the same yoga/envelop pipeline (auth, limits, error masking).
 * Each connection is bounded: message size, time to authenticate, subscriptions per socket,
 * keep-alive, and a send buffer beyond which a too-slow client is disconnected.
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import { sendingFrames } from './shared-frames';
import { SHARE_SUBSCRIPTION_RESULTS } from './shared-subscriptions';

export interface WebSocketLimits {
  maxPayloadBytes: number;
  connectionInitTimeoutMs: number;
  maxSubscriptionsPerSocket: number;
  /** Unsent bytes a client may have queued before it is dropped as too slow. */
  maxBufferedBytes: number;
  keepAliveMs: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = {
  maxPayloadBytes: 256 * 1024,
  connectionInitTimeoutMs: 10_000,
  maxSubscriptionsPerSocket: 100,
  maxBufferedBytes: 16 * 1024 * 1024,
  keepAliveMs: 12_000,
};

interface EnvelopedOps {
  execute(args: ExecutionArgs): never;
  subscribe(args: ExecutionArgs): never;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof Object(value)[Symbol.asyncIterator] === 'function';
}

/**
 * As graphql-ws's own adapter sends: resolved once written, nothing on a closed socket. The
 * frame is UTF-8 JSON, sent as a text message as graphql-ws sends.
 */
function sendOn(socket: WebSocket, frame: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.readyState !== socket.OPEN) return resolve();
    socket.send(frame, { binary: false }, (err) => (err ? reject(err) : resolve()));
  });
}

type Yoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

export function attachWebSocket(server: Server, yoga: Yoga, limits: WebSocketLimits = DEFAULT_WEBSOCKET_LIMITS) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: limits.maxPayloadBytes });
  const active = new WeakMap<WebSocket, number>();

  const disposable = useServer(
    {
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      // The enveloped execute/subscribe travel in rootValue (set in onSubscribe below).
      execute: (args: ExecutionArgs) => (args.rootValue as EnvelopedOps).execute(args),
      subscribe: (args: ExecutionArgs) => (args.rootValue as EnvelopedOps).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const socket = ctx.extra.socket;
        const count = active.get(socket) ?? 0;
        if (count >= limits.maxSubscriptionsPerSocket) {
          return [new GraphQLError(`at most ${limits.maxSubscriptionsPerSocket} operations at once on one connection`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket,
          params,
          connectionParams: ctx.connectionParams ?? {},
          // Subscribers of one event with the same operation share its execution and frame.
          [SHARE_SUBSCRIPTION_RESULTS]: true,
        });
        let document;
        try {
          document = parse(params.query);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('the query does not parse', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        active.set(socket, count + 1);
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
      // Subscription results go out as our own frames, so identical data is serialized once
      // per event for all subscribers (shared-frames.ts); graphql-ws still owns the operation.
      onOperation: (ctx, id, _payload, _args, result) => {
        if (!isAsyncIterable(result)) return undefined;
        const socket = ctx.extra.socket;
        return sendingFrames(id, result, async (frame) => {
          await sendOn(socket, frame);
          // A client that does not read its socket must not make the server buffer forever.
          if (socket.bufferedAmount > limits.maxBufferedBytes) socket.close(1013, 'client too slow: reconnect');
        });
      },
      onNext: (ctx) => {
        // A client that does not read its socket must not make the server buffer forever.
        if (ctx.extra.socket.bufferedAmount > limits.maxBufferedBytes) ctx.extra.socket.close(1013, 'client too slow: reconnect');
      },
      onComplete: (ctx) => {
        const socket = ctx.extra.socket;
        active.set(socket, Math.max(0, (active.get(socket) ?? 1) - 1));
      },
      onError: (ctx) => {
        const socket = ctx.extra.socket;
        active.set(socket, Math.max(0, (active.get(socket) ?? 1) - 1));
      },
    },
    wss,
    limits.keepAliveMs,
  );

  return {
    wss,
    /** Tells every client to reconnect (close code 1012, service restart) and stops. */
    async close() {
      for (const client of wss.clients) client.close(1012, 'server restarting: reconnect');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
