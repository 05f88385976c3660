import { ConnectorError, errorMessage, isNetworkErrorCode, redact } from '../errors';
import type { MysqlSettings } from '../settings';

interface MysqlLikeError {
  code?: unknown;
  errno?: unknown;
}

const AUTH_ERRNOS = new Set([1044, 1045, 1698, 1251]);
const CONNECTION_ERRNOS = new Set([1040, 1049, 1129, 1130, 1203]);
const READ_ONLY_ERRNOS = new Set([1792, 1290, 1836]);
const TIMEOUT_ERRNOS = new Set([1969, 3024]);

/** Maps anything mysql2 throws to a ConnectorError whose message carries no secret. */
export function mysqlError(err: unknown, settings: MysqlSettings): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const { code, errno } = (err ?? {}) as MysqlLikeError;
  const n = typeof errno === 'number' ? errno : undefined;
  const native = n !== undefined ? String(n) : typeof code === 'string' ? code : undefined;
  const message = redact(errorMessage(err), [settings.password]);
  const where = `${settings.host}:${settings.port}`;
  if (n !== undefined && AUTH_ERRNOS.has(n)) return new ConnectorError('AUTH_FAILED', `Authentication failed: ${message}`, native);
  if (n !== undefined && READ_ONLY_ERRNOS.has(n)) {
    return new ConnectorError('READ_ONLY_VIOLATION', `The query tried to write in a read-only datasource: ${message}`, native);
  }
  if (n !== undefined && TIMEOUT_ERRNOS.has(n)) return new ConnectorError('TIMEOUT', message, native);
  if (n === 1317) return new ConnectorError('CANCELLED', message, native);
  if (code === 'ETIMEDOUT') return new ConnectorError('TIMEOUT', `Connecting to ${where} timed out`, native);
  if ((n !== undefined && CONNECTION_ERRNOS.has(n)) || isNetworkErrorCode(code) || code === 'HANDSHAKE_SSL_ERROR') {
    return new ConnectorError('CONNECTION_FAILED', `Could not connect to ${where}: ${message}`, native);
  }
  return new ConnectorError('QUERY_FAILED', message, native);
}
