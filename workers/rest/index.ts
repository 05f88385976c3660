export { fetchRestRows, DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_ROWS, type FetchRestRowsOptions, type RestRows } from './fetch-rest-rows';
export {
  restSourceSchema,
  paginationSchema,
  secretHeadersSchema,
  parseRestSource,
  parseSecretHeaders,
  MAX_PAGES_LIMIT,
  type RestSource,
  type RestSourceInput,
  type RestPagination,
} from './rest-source';
export { safeFetch, DEFAULT_MAX_BYTES, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT_MS, type SafeFetchOptions, type SafeResponse } from './safe-fetch';
export { compileAllowList, parseAllowedHostsEnv, ALLOWED_HOSTS_ENV, type AllowList } from './allowed-hosts';
export { blockedReason } from './blocked-addresses';
export { systemResolver, type Resolver } from './resolver';
export {
  SsrfError,
  HttpFetchError,
  RestSourceError,
  type SsrfErrorCode,
  type HttpFetchErrorCode,
  type RestSourceErrorCode,
} from './errors';
export { inferColumnType } from './infer-columns';
