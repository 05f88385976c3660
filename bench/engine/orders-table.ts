/**
 * The engine benchmark's table: a million orders generated inside PostgreSQL, so setting it up
 * costs one statement instead of a million rows over the wire. `setseed` makes every run hold
 * the same data.
 */
import type pg from 'pg';

export const ORDERS_ROWS = 1_000_000;

const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'CA', 'AU', 'IT', 'ES', 'NL', 'SE', 'PL', 'MX', 'KR', 'CH', 'BE', 'AT', 'NO'];
const CATEGORIES = ['books', 'games', 'garden', 'kitchen', 'music', 'office', 'sports', 'toys'];

function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]`;
}

export async function createOrdersTable(client: pg.Client, rows = ORDERS_ROWS): Promise<void> {
  await client.query('SELECT setseed(0.42)');
  await client.query(`
    CREATE TABLE public.orders AS
    SELECT g::bigint AS id,
           (${textArray(COUNTRIES)})[1 + floor(random() * ${COUNTRIES.length})::int] AS country,
           (${textArray(CATEGORIES)})[1 + floor(random() * ${CATEGORIES.length})::int] AS category,
           round((1 + random() * 999)::numeric, 2)::numeric(12, 2) AS amount,
           timestamptz '2022-01-01 00:00:00+00' + random() * interval '1096 days' AS ordered_at,
           (1 + floor(random() * 10))::int AS qty
    FROM generate_series(1, ${rows}) AS g`);
  // Hint bits and statistics now, so no timed run pays for the first read of fresh pages.
  await client.query('VACUUM (ANALYZE) public.orders');
}
