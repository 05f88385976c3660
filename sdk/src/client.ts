/** The SDK's entry point: one object per server and token, for HTTP calls and subscriptions. */
import { logInSession, signUpSession, type AuthOptions, type Session } from './auth.js';
import { graphqlEndpoint, websocketEndpoint } from './endpoint.js';
import { NotifyDataChangedDocument, ViewerDocument, type SignUpInput, type TypedDocumentString, type ViewerQuery } from './generated/graphql.js';
import { createLiveQuery, type LiveQueryEvent, type LiveQueryOptions } from './live-query.js';
import type { Query } from './query-language.js';
import { createQueryJobs, type GetDataOptions, type QueryData, type QueryJob, type QueryJobEvent, type RunQueryOptions } from './query-jobs.js';
import { createDashboards, type Dashboards } from './resources/dashboards.js';
import { createDatasources, type Datasources } from './resources/datasources.js';
import { createPlaylists, type Playlists } from './resources/playlists.js';
import { createRuns, type Runs } from './runs.js';
import { createReports, type Reports } from './reports.js';
import { createHttpTransport, type FetchLike } from './transport/http.js';
import type { EventStream } from './transport/types.js';
import { createWebSocketTransport, type SocketState } from './transport/websocket.js';

export interface ClientOptions {
  /** The server, e.g. `http://localhost:4000` (`/graphql` is added when missing). */
  url: string;
  /** A session token (logIn, signUp) or an API token. */
  token?: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
  /** A WebSocket class for subscriptions; the global one when omitted. Node 20: `import WebSocket from 'ws'`. */
  webSocketImpl?: unknown;
  /** Reconnect attempts in a row before open subscriptions fail; default 30. */
  retryAttempts?: number;
  /** Longest wait between reconnect attempts; default 10 s. */
  maxRetryDelayMs?: number;
  /** Ping interval that detects dead connections; default 15 s, 0 turns it off. */
  keepAliveMs?: number;
  /** Told when the socket connects and closes, e.g. to show that updates are paused. */
  onSocketState?: (state: SocketState) => void;
}

export type Viewer = ViewerQuery['viewer'];

export interface SightlineClient {
  readonly url: string;
  /** Runs a query and resolves with its rows once the job ends; an abort cancels the job. */
  getData<Row = Record<string, unknown>>(datasourceId: string, query: Query, options?: GetDataOptions): Promise<QueryData<Row>>;
  /** Starts a query job (or joins an identical one, or answers from the cache). */
  runQuery(datasourceId: string, query: Query, options?: RunQueryOptions): Promise<QueryJob>;
  /** Removes a queued job or stops a running one in the database. */
  cancel(jobId: string): Promise<QueryJob>;
  /** The job's states from its current one to its end; leaving as the last watcher cancels it. */
  watchJob(jobId: string): EventStream<QueryJobEvent>;
  /** A result kept fresh; `return()` unsubscribes. */
  liveQuery<Row = Record<string, unknown>>(datasourceId: string, query: Query, options?: LiveQueryOptions): EventStream<LiveQueryEvent<Row>>;
  /** Says the data behind a datasource changed: caches drop it and live queries re-run. */
  notifyDataChanged(datasourceId: string): Promise<{ id: string; dataVersion: number }>;
  viewer(): Promise<Viewer>;
  datasources: Datasources;
  dashboards: Dashboards;
  playlists: Playlists;
  /** Loads, dataflows and scripts, and writing warehouse tables. */
  runs: Runs;
  /** Dashboards as PDFs, exported or emailed. */
  reports: Reports;
  /** Any operation typed by a generated document, for what the helpers do not cover. */
  request<R, V>(document: TypedDocumentString<R, V>, variables: V, signal?: AbortSignal): Promise<R>;
  /** Any subscription on the client's socket (reconnecting and re-subscribing like the others). */
  subscribe<R, V>(document: TypedDocumentString<R, V>, variables: V): EventStream<R>;
  /** Closes the socket; open subscriptions end. */
  close(): Promise<void>;
}

export function createClient(options: ClientOptions): SightlineClient {
  const http = createHttpTransport({
    endpoint: graphqlEndpoint(options.url),
    token: options.token,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
  });
  const socket = createWebSocketTransport({
    url: websocketEndpoint(options.url),
    token: options.token,
    webSocketImpl: options.webSocketImpl,
    retryAttempts: options.retryAttempts ?? 30,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
    keepAliveMs: options.keepAliveMs ?? 15_000,
    onSocketState: options.onSocketState,
  });
  const jobs = createQueryJobs(http, socket);
  const runs = createRuns(http, socket);
  return {
    url: options.url,
    ...jobs,
    liveQuery: createLiveQuery(socket),
    notifyDataChanged: async (datasourceId) => (await http.request(NotifyDataChangedDocument, { datasourceId })).notifyDataChanged,
    viewer: async () => (await http.request(ViewerDocument, {})).viewer,
    datasources: createDatasources(http),
    dashboards: createDashboards(http),
    playlists: createPlaylists(http),
    runs,
    reports: createReports(http, runs, options.url, (options.fetch ?? globalThis.fetch.bind(globalThis)) as typeof fetch),
    request: (document, variables, signal) => http.request(document, variables, signal),
    subscribe: (document, variables) => socket.subscribe(document, variables),
    close: () => socket.dispose(),
  };
}

export type ConnectOptions = Omit<ClientOptions, 'url' | 'token'> & Pick<AuthOptions, 'organizationId'>;

/** A client with the session it was made with. */
export interface SessionClient extends SightlineClient {
  readonly session: Session;
}

/** Logs in and returns a client acting with the new session. */
export async function login(url: string, email: string, password: string, options: ConnectOptions = {}): Promise<SessionClient> {
  const session = await logInSession(url, email, password, {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.organizationId ? { organizationId: options.organizationId } : {}),
  });
  return { ...createClient({ ...options, url, token: session.token }), session };
}

/** Creates an account (and an organization, or joins one with an invitation) and returns its client. */
export async function signUp(url: string, input: SignUpInput, options: ConnectOptions = {}): Promise<SessionClient> {
  const session = await signUpSession(url, input, options.fetch ? { fetch: options.fetch } : {});
  return { ...createClient({ ...options, url, token: session.token }), session };
}
