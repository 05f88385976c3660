/**
 * Logs in, lists the datasources, sums the sample orders by country, then follows the same
 * query live: a new result is printed whenever the data changes (`notifyDataChanged`).
 *
 *   SIGHTLINE_URL=http://localhost:4000 SIGHTLINE_EMAIL=ada@example.com \
 *   SIGHTLINE_PASSWORD='correct horse battery' npx tsx sdk/examples/quickstart.ts [--updates N]
 *
 * Stops after N live results when `--updates N` is given, else on Ctrl-C.
 */
import WebSocket from 'ws';
import { login, QueryFailedError, SightlineError, type Query } from '../src/index.js';

const url = process.env['SIGHTLINE_URL'] ?? 'http://localhost:4000';
const email = process.env['SIGHTLINE_EMAIL'] ?? '';
const password = process.env['SIGHTLINE_PASSWORD'] ?? '';
const updatesFlag = process.argv.indexOf('--updates');
const maxUpdates = updatesFlag > 0 ? Number(process.argv[updatesFlag + 1]) : Infinity;

interface CountrySales {
  country: string;
  sum_amount: number;
  orders: number;
}

async function main() {
  // Node 20 has no global WebSocket: hand the client the `ws` package (browsers need nothing).
  const client = await login(url, email, password, { webSocketImpl: WebSocket });
  console.log(`logged in as ${client.session.user.email} (${client.session.role}) in ${client.session.organization.name}`);

  for await (const ds of client.datasources.listAll()) console.log(`datasource: ${ds.name} [${ds.kind}] ${ds.id}`);

  const orders = (await client.datasources.list()).items.find((d) => d.name === 'Sample: orders');
  if (!orders) throw new Error('no "Sample: orders" datasource in this organization');

  const query: Query = {
    dimensions: ['country'],
    measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count', as: 'orders' }],
    orderBy: [{ field: 'sum_amount', dir: 'desc' }],
    limit: 5,
  };
  const top = await client.getData<CountrySales>(orders.id, query, { signal: AbortSignal.timeout(60_000) });
  console.log(`top countries (${top.cached ? 'from the cache' : 'fresh'}):`);
  for (const row of top.rows) console.log(`  ${row.country}  ${row.sum_amount.toFixed(2)}  (${row.orders} orders)`);

  const live = client.liveQuery<CountrySales>(orders.id, query);
  process.once('SIGINT', () => void live.return());
  let updates = 0;
  for await (const event of live) {
    if (event.error) console.log(`live: ${event.error.code}: ${event.error.message}`);
    if (event.status !== 'DONE' || !event.rows) continue;
    console.log(`live: ${event.rows.map((r) => `${r.country}=${r.sum_amount}`).join(' ')}`);
    if (++updates >= maxUpdates) break;
  }
  await client.close();
}

main().catch((err: unknown) => {
  if (err instanceof QueryFailedError) console.error(`query failed: ${err.code} at ${err.path ?? '?'}: ${err.message}`);
  else if (err instanceof SightlineError) console.error(`${err.code}: ${err.message}`);
  else console.error(err);
  process.exitCode = 1;
});
