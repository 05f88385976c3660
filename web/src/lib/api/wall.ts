/**
 * A wall display's connection: one socket, authenticated by the display token, carrying
 * `wallUpdates` (what to show) and the widgets' live queries. Built from the SDK's socket
 * transport and live-query stream, because the SDK's client does not expose a generic
 * subscription yet; nothing here speaks the wire protocol itself.
 */
import type { EventStream, LiveQueryEvent, LiveQueryOptions, Query, SocketState } from '$sdk';
import { createLiveQuery } from '$sdk/live-query.js';
import { createWebSocketTransport } from '$sdk/transport/websocket.js';
import { doc } from './client';
import { websocketEndpoint } from '$sdk/endpoint.js';

export interface WallDashboard {
  id: string;
  name: string;
  model: unknown;
  version: number;
}
export interface Wall {
  theme: string;
  playlist: { id: string; name: string; items: { dashboardId: string; durationSeconds: number }[] } | null;
  dashboards: WallDashboard[];
}

const WALL_UPDATES = doc<{ wallUpdates: Wall }, Record<string, never>>(
  `subscription WallUpdates { wallUpdates { theme playlist { id name items { dashboardId durationSeconds } } dashboards { id name model version } } }`,
);

export interface WallConnection {
  updates(): EventStream<{ wallUpdates: Wall }>;
  liveQuery<Row = Record<string, unknown>>(datasourceId: string, query: Query, options?: LiveQueryOptions): EventStream<LiveQueryEvent<Row>>;
  close(): Promise<void>;
}

export function connectWall(token: string, onSocketState: (state: SocketState) => void): WallConnection {
  const socket = createWebSocketTransport({
    url: websocketEndpoint(window.location.origin),
    token,
    webSocketImpl: undefined,
    // A wall is unattended: it keeps trying for as long as it is on, at most every 10 s.
    retryAttempts: Number.MAX_SAFE_INTEGER,
    maxRetryDelayMs: 10_000,
    keepAliveMs: 15_000,
    onSocketState,
  });
  return {
    updates: () => socket.subscribe(WALL_UPDATES, {} as Record<string, never>),
    liveQuery: createLiveQuery(socket),
    close: () => socket.dispose(),
  };
}
