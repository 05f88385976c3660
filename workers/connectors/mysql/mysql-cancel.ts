import mysql from 'mysql2';
import { query } from './mysql-driver';

/**
 * Stops the statement a connection is running with KILL QUERY from another connection: the
 * killed connection stays open and usable, unlike KILL CONNECTION.
 */
export async function killMysqlQuery(options: mysql.ConnectionOptions, threadId: number): Promise<void> {
  const conn = mysql.createConnection(options);
  conn.on('error', () => undefined);
  try {
    await query(conn, 'KILL QUERY ?', [threadId]);
  } finally {
    await new Promise<void>((resolve) => conn.end(() => resolve()));
  }
}
