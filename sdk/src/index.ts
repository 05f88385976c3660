export { createClient, login, signUp, type ClientOptions, type ConnectOptions, type SessionClient, type SightlineClient, type Viewer } from './client.js';
export type { Session, SignUpInput } from './auth.js';
export {
  NetworkError,
  QueryFailedError,
  SightlineError,
  type ErrorCode,
  type GraphQLErrorShape,
  type QueryErrorCode,
  type QueryErrorShape,
} from './errors.js';
export type { LiveQueryEvent, LiveQueryOptions } from './live-query.js';
export type { ListAllOptions, Page, PageArgs, PageInfo } from './paging.js';
export type { Dimension, Filter, FilterValue, Granularity, Measure, OrderBy, Query, ResultColumn } from './query-language.js';
export type { GetDataOptions, QueryData, QueryJob, QueryJobEvent, QueryJobStatus, RunQueryOptions } from './query-jobs.js';
export type { Dashboard, Dashboards, CreateDashboardInput, UpdateDashboardInput } from './resources/dashboards.js';
export type { Datasource, Datasources, CreateDatasourceInput, UpdateDatasourceInput } from './resources/datasources.js';
export type { Playlist, Playlists, PlaylistInput } from './resources/playlists.js';
export type { Resource } from './resources/resource.js';
export type { FetchLike } from './transport/http.js';
export type { EventStream } from './transport/types.js';
export type { SocketState } from './transport/websocket.js';
export type { TypedDocumentString } from './generated/graphql.js';
export * as operations from './generated/graphql.js';
export type { Run, RunEvent, Runs, WriteTableOptions, WarehouseColumnType } from './runs.js';
export type { ExportedPdf, ExportPdfOptions, Reports, SendOptions, FilterValuesInput, PdfOptionsInput, RecipientInput } from './reports.js';
