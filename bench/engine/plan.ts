import type pg from 'pg';

/** Parallel workers PostgreSQL plans for the statement when it runs in one go (0 if none). */
export async function plannedWorkers(client: pg.Client, sql: string, params: readonly unknown[]): Promise<number> {
  const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [...params]);
  let workers = 0;
  for (const row of result.rows) {
    const match = /Workers Planned: (\d+)/.exec(row['QUERY PLAN']);
    if (match) workers = Math.max(workers, Number(match[1]));
  }
  return workers;
}
