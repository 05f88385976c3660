/** Stable codes a connector failure is reported with; the worker forwards them to the job. */
export const CONNECTOR_ERROR_CODES = [
  'INVALID_SETTINGS',
  'CONNECTION_FAILED',
  'AUTH_FAILED',
  'TIMEOUT',
  'QUERY_FAILED',
  'CANCELLED',
  'READ_ONLY_VIOLATION',
  'CLOSED',
] as const;

export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number];

/**
 * The only error a connector lets out. Its message is meant for the dashboard user, so it is
 * built from the server's message with every known secret removed, never from driver options.
 */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: ConnectorErrorCode;
  /** The database's own error code (SQLSTATE, MySQL errno, SQLite code), when there is one. */
  readonly nativeCode: string | undefined;

  constructor(code: ConnectorErrorCode, message: string, nativeCode?: string) {
    super(message);
    this.code = code;
    this.nativeCode = nativeCode;
  }
}

export function isConnectorError(err: unknown): err is ConnectorError {
  return err instanceof ConnectorError;
}

/** Removes secrets from a message that may echo what the driver was given. */
export function redact(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret && secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}

/** Network failures that mean "the server could not be reached", whatever the driver. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
]);

export function isNetworkErrorCode(code: unknown): boolean {
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
