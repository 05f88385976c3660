import { createClient, type Client } from 'graphql-ws';
import { errorFromGraphQL, NetworkError, SightlineError, type GraphQLErrorShape } from '../errors.js';
import { backoff } from './backoff.js';
import { mapStream } from './event-stream.js';
import type { SubscriptionTransport } from './types.js';

export type SocketState = 'connecting' | 'connected' | 'closed';

export interface WebSocketTransportOptions {
  /** The GraphQL endpoint over WebSocket, e.g. `ws://localhost:4000/graphql`. */
  url: string;
  token: string | undefined;
  /** A WebSocket class; the global one when omitted (browsers, Node 22+). Node 20: pass `ws`. */
  webSocketImpl: unknown;
  /** Reconnect attempts in a row before subscriptions fail with a NetworkError. */
  retryAttempts: number;
  /** Longest wait between two reconnect attempts. */
  maxRetryDelayMs: number;
  /** How often to ping; a socket that does not answer within half of it is dropped and redialled. */
  keepAliveMs: number;
  onSocketState: ((state: SocketState) => void) | undefined;
}

function isErrorList(value: unknown): value is GraphQLErrorShape[] {
  return Array.isArray(value) && value.every((e) => typeof e === 'object' && e !== null && 'message' in e);
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

/** What graphql-ws rejects with: a list of GraphQL errors, a close event, or an Error. */
function toSightlineError(err: unknown): SightlineError {
  if (err instanceof SightlineError) return err;
  if (isErrorList(err)) return errorFromGraphQL(err);
  if (isCloseEvent(err)) return new NetworkError(`the socket closed (${err.code}${err.reason ? `: ${err.reason}` : ''})`, { cause: err });
  return new NetworkError(err instanceof Error ? err.message : String(err), { cause: err });
}

function hasSocket(impl: unknown): boolean {
  return impl !== undefined || typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';
}

export function createWebSocketTransport(options: WebSocketTransportOptions): SubscriptionTransport {
  let client: Client | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  // Created on first use, so a client that only makes HTTP calls never needs a WebSocket.
  const connect = (): Client => {
    if (client) return client;
    if (!hasSocket(options.webSocketImpl)) {
      throw new NetworkError('no WebSocket here: pass webSocketImpl (on Node 20, the `ws` package) to createClient');
    }
    let socket: { readyState: number; close(code: number, reason: string): void } | null = null;
    client = createClient({
      url: options.url,
      ...(options.webSocketImpl === undefined ? {} : { webSocketImpl: options.webSocketImpl }),
      connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
      lazy: true,
      retryAttempts: options.retryAttempts,
      retryWait: backoff(250, options.maxRetryDelayMs),
      keepAlive: options.keepAliveMs,
      on: {
        connecting: () => options.onSocketState?.('connecting'),
        connected: (s) => {
          socket = s as typeof socket;
          options.onSocketState?.('connected');
        },
        closed: () => {
          socket = null;
          clearTimeout(pongTimer);
          options.onSocketState?.('closed');
        },
        // A half-open connection (a sleeping laptop, a dropped NAT entry) never closes on its
        // own: a ping left unanswered closes it, and graphql-ws then redials and re-subscribes.
        ping: (received) => {
          if (received || options.keepAliveMs <= 0) return;
          clearTimeout(pongTimer);
          pongTimer = setTimeout(() => {
            if (socket && socket.readyState === 1) socket.close(4408, 'no pong: reconnecting');
          }, options.keepAliveMs / 2);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
      },
    });
    return client;
  };

  return {
    subscribe(document, variables) {
      const results = connect().iterate({ query: document.toString(), variables: variables as Record<string, unknown> });
      return mapStream(
        results,
        (result) => {
          if (result.errors && result.errors.length > 0) throw errorFromGraphQL(result.errors);
          if (result.data === null || result.data === undefined) throw new NetworkError('a subscription event came without data');
          // The document's result type is what the server promises for this operation.
          return result.data as never;
        },
        toSightlineError,
      );
    },
    async dispose() {
      clearTimeout(pongTimer);
      await client?.dispose();
      client = null;
    },
  };
}
