/**
 * The real platform for report tests: the API (test harness, PGlite) serving the built web app,
 * one organization with a SQLite datasource of known figures, dashboards made of it, and a
 * display token for each. Also a "black hole" PostgreSQL address that accepts connections and
 * never answers, for widgets that must still be waiting when the report is printed.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { must } from '../../../api/test/fixtures';
import { startTestServer, type TestServer } from '../../../api/test/harness';
import { buildOnce } from '../../../web/test/support';

export const SALES = [
  { region: 'North', product: 'Anvils', amount: 12000 },
  { region: 'North', product: 'Bellows', amount: 8200 },
  { region: 'South', product: 'Anvils', amount: 15013 },
  { region: 'South', product: 'Crucibles', amount: 6000 },
  { region: 'East', product: 'Bellows', amount: 7000 },
];
/** 48,213: the KPI as en-US prints it. */
export const TOTAL = SALES.reduce((s, r) => s + r.amount, 0);

export interface Widget {
  id: string;
  type: 'kpi' | 'bar' | 'table' | 'line' | 'pie' | 'area' | 'text';
  title: string;
  datasourceId: string | null;
  query?: Record<string, unknown>;
  layout: { x: number; y: number; w: number; h: number };
}

export interface ReportPlatform {
  server: TestServer;
  owner: string;
  salesId: string;
  /** A datasource whose SQLite file does not exist: every query fails. */
  brokenId: string;
  /** A PostgreSQL datasource pointing at the black hole: every query waits (about 10 s). */
  stuckId: string;
  /** Creates a dashboard with these tabs and a display token for it. */
  dashboard(name: string, tabs: { id: string; title: string; widgets: Widget[] }[]): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

function blackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

export async function startReportPlatform(): Promise<ReportPlatform> {
  await buildOnce();
  const server = await startTestServer('pglite');
  const hole = await blackHole();
  try {
    const folder = join(server.dataDir, 'sqlite');
    mkdirSync(folder, { recursive: true });
    const db = new Database(join(folder, 'report-sales.sqlite'));
    db.exec('CREATE TABLE sales (region TEXT NOT NULL, product TEXT NOT NULL, amount REAL NOT NULL)');
    const insert = db.prepare('INSERT INTO sales (region, product, amount) VALUES (?, ?, ?)');
    for (const r of SALES) insert.run(r.region, r.product, r.amount);
    db.close();

    const owner = (await server.signUp('Reports')).token;
    const create = async (input: Record<string, unknown>) =>
      (await must(server, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: input }, owner))['createDatasource'].id as string;
    const salesId = await create({ name: 'Sales', kind: 'SQLITE', connection: { file: 'report-sales.sqlite' }, source: { table: 'sales' } });
    const brokenId = await create({ name: 'Archive', kind: 'SQLITE', connection: { file: 'missing-archive.sqlite' }, source: { table: 'sales' } });
    const stuckId = await create({ name: 'Warehouse', kind: 'POSTGRES', connection: { host: '127.0.0.1', port: hole.port, database: 'none', user: 'none', sslMode: 'DISABLE' }, source: { table: 'sales', schema: 'public' } });

    return {
      server,
      owner,
      salesId,
      brokenId,
      stuckId,
      async dashboard(name, tabs) {
        const id = (await must(server, `mutation($n: String!, $m: JSON!) { createDashboard(input: {name: $n, model: $m}) { id } }`, { n: name, m: { tabs } }, owner))['createDashboard'].id as string;
        const token = (await must(server, `mutation($d: ID!) { createDisplayToken(input: {name: "report", dashboardId: $d}) { token } }`, { d: id }, owner))['createDisplayToken'].token as string;
        return { id, token };
      },
      async close() {
        await hole.close();
        await server.close();
      },
    };
  } catch (err) {
    await hole.close();
    await server.close();
    throw err;
  }
}
