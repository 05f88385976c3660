import pg from 'pg';

/**
 * Stops the statement a backend is running, from a separate short-lived connection: the
 * connection running it is busy, and the pool may have no free one.
 */
export async function cancelPostgresBackend(config: pg.ClientConfig, pid: number): Promise<void> {
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end().catch(() => undefined);
  }
}
