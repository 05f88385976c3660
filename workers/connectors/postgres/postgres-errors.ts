import { ConnectorError, errorMessage, isNetworkErrorCode, redact } from '../errors';
import type { PostgresSettings } from '../settings';

interface PgLikeError {
  code?: unknown;
  message?: unknown;
}

const AUTH_STATES = new Set(['28000', '28P01']);
const CONNECTION_STATES = new Set(['3D000', '08000', '08001', '08003', '08004', '08006', '53300', '57P03']);
const READ_ONLY_STATES = new Set(['25006']);

/** Maps anything pg throws to a ConnectorError whose message carries no secret. */
export function postgresError(err: unknown, settings: PostgresSettings): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const code = typeof (err as PgLikeError)?.code === 'string' ? ((err as PgLikeError).code as string) : undefined;
  const message = redact(errorMessage(err), [settings.password]);
  if (code && AUTH_STATES.has(code)) return new ConnectorError('AUTH_FAILED', `Authentication failed: ${message}`, code);
  if (code && READ_ONLY_STATES.has(code)) {
    return new ConnectorError('READ_ONLY_VIOLATION', `The query tried to write in a read-only datasource: ${message}`, code);
  }
  if (code === '57014') {
    const timedOut = /statement timeout/i.test(message);
    return new ConnectorError(timedOut ? 'TIMEOUT' : 'CANCELLED', message, code);
  }
  if (code === 'ETIMEDOUT') return new ConnectorError('TIMEOUT', `Connecting to ${settings.host}:${settings.port} timed out`, code);
  if ((code && CONNECTION_STATES.has(code)) || isNetworkErrorCode(code)) {
    return new ConnectorError('CONNECTION_FAILED', `Could not connect to ${settings.host}:${settings.port}: ${message}`, code);
  }
  if (/timeout expired|Connection terminated due to connection timeout/i.test(message)) {
    return new ConnectorError('TIMEOUT', `Connecting to ${settings.host}:${settings.port} timed out`, code);
  }
  if (/Connection terminated|connect ECONN|getaddrinfo|self[- ]signed|certificate|does not support SSL/i.test(message)) {
    return new ConnectorError('CONNECTION_FAILED', `Could not connect to ${settings.host}:${settings.port}: ${message}`, code);
  }
  return new ConnectorError('QUERY_FAILED', message, code);
}
