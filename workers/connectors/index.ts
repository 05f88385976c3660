/** What the rest of the workers use of the connectors. */
export type {
  ConnectionTestResult,
  Connector,
  ExecuteOptions,
  Introspection,
  IntrospectedTable,
  PoolOptions,
} from './types';
export { DEFAULT_CHUNK_SIZE, DEFAULT_POOL_OPTIONS, MAX_BUFFERED_ROWS } from './types';
export type { ConnectionSettings, ConnectorKind, SslMode } from './settings';
export { parseConnectionSettings } from './settings';
export { ConnectorError, isConnectorError, type ConnectorErrorCode } from './errors';
export { ConnectorRegistry, settingsHash, type ConnectorRegistryOptions } from './registry';
export { createConnector, type ConnectorEnvironment } from './create-connector';
export type { SqliteFunctionsModule } from './sqlite/sqlite-protocol';
