import { ConnectorError } from '../errors';
import { NOT_A_QUERY, NOT_READ_ONLY } from './sqlite-protocol';

/** Maps an error the child reported (SQLite's result code name) to a ConnectorError. */
export function sqliteError(code: string, message: string): ConnectorError {
  if (code === NOT_READ_ONLY || code.startsWith('SQLITE_READONLY')) {
    return new ConnectorError('READ_ONLY_VIOLATION', `The query tried to write in a read-only datasource: ${message}`, code);
  }
  // A statement without rows either writes or changes the connection (ATTACH, PRAGMA x = y).
  if (code === NOT_A_QUERY) {
    return new ConnectorError('READ_ONLY_VIOLATION', `Only statements that return rows may run here: ${message}`, code);
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new ConnectorError('CONNECTION_FAILED', message, code);
  }
  return new ConnectorError('QUERY_FAILED', message, code);
}
