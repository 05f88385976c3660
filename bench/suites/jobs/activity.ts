/** pg_stat_activity look-ups for the slow query, from a connection of their own. */
import pg from 'pg';
import { PG_ADMIN } from '../../../testkit/services';
import { SLOW_MARKER } from './warehouse';

export class ActivityProbe {
  private constructor(private readonly client: pg.Client, private readonly database: string) {}

  static async open(database: string): Promise<ActivityProbe> {
    const client = new pg.Client({ ...PG_ADMIN, application_name: 'sightline-bench-probe' });
    await client.connect();
    return new ActivityProbe(client, database);
  }

  /** Pids of backends of `application` running the slow query right now. */
  async active(application: string): Promise<number[]> {
    const r = await this.client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND state = 'active' AND query LIKE $3 AND pid <> pg_backend_pid()`,
      [this.database, application, `%${SLOW_MARKER}%`],
    );
    return r.rows.map((row) => row.pid);
  }

  /** Polls every ~`intervalMs` until `done(pids)`; fails after `timeoutMs`. */
  async until(application: string, done: (pids: number[]) => boolean, timeoutMs: number, intervalMs = 1): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pids = await this.active(application);
      if (done(pids)) return pids;
      if (Date.now() > deadline) throw new Error(`pg_stat_activity: condition not met after ${timeoutMs} ms (${application}: ${pids.length} active)`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
