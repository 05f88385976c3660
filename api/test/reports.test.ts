/**
 * Reports end to end: a scheduled report to three managers, each PDF holding only their region
 * (read back with pdftotext); a run taken over after a crash sends nobody a second email; an
 * SMTP outage is retried and then recorded as a clear failure; an export downloads by link.
 * Real parts: the API with its workers, Debian's Chromium, an SMTP server on loopback.
 */
import { mkdirSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startSmtpServer, type TestSmtp } from '../../testkit/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalId } from '../graphql/ids';
import { buildOnce } from '../../web/test/support';
import { decodeBody, leaves, parseMime } from '../../workers/reports/test/mime';
import { pdfText } from '../../workers/reports/test/pdf-tools';
import { createRunJournal } from '../../infra/jobs/run-journal';
import { createMemoryPubSub } from '../../infra/pubsub/memory-pubsub';
import { createMemoryQueue } from '../../infra/queue';
import { storageFromEnv } from '../../infra/storage';
import { reportHandler } from '../../workers/runs/handlers/report';
import { createMailer } from '../../workers/reports/mail';
import { startTestServer, type TestServer } from './harness';
import { must } from './fixtures';
import { runToEnd } from './run-helpers';
import WebSocket from 'ws';
import { createClient } from '../../sdk/src/index';

interface Mail {
  to: string[];
  raw: string;
}

function pdfOf(mail: Mail): Buffer {
  const part = leaves(parseMime(mail.raw)).find((p) => /application\/pdf/i.test(p.headers['content-type'] ?? ''));
  if (!part) throw new Error('no PDF attached');
  return decodeBody(part);
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A daily cron time (with seconds) a few seconds from now: the schedule fires exactly once here. */
function onceSoon(): string {
  const at = new Date(Date.now() + 4000);
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
}

const SALES = [
  ['North', 'Anvils', 12000],
  ['North', 'Bellows', 8200],
  ['South', 'Anvils', 15013],
  ['South', 'Crucibles', 6000],
  ['East', 'Bellows', 7000],
] as const;

describe('reports', () => {
  let s: TestServer;
  let token: string;
  let smtp: TestSmtp;
  let smtpPort: number;
  let mails: Mail[] = [];
  let dashboardId: string;

  beforeAll(async () => {
    await buildOnce();
    smtp = await startSmtpServer();
    smtpPort = smtp.port;
    mails = smtp.mails;
    s = await startTestServer('pglite', { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), SMTP_SECURE: 'false', SMTP_FROM: 'reports@sightline.test', SCHEDULER_INTERVAL_MS: '500', REPORT_MAIL_RETRY_MS: '100' });
    token = (await s.signUp('Reports')).token;
    mkdirSync(join(s.dataDir, 'sqlite'), { recursive: true });
    const db = new Database(join(s.dataDir, 'sqlite', 'sales.sqlite'));
    db.exec('CREATE TABLE sales (region TEXT, product TEXT, amount REAL)');
    for (const row of SALES) db.prepare('INSERT INTO sales VALUES (?, ?, ?)').run(...row);
    db.close();
    const ds = (await must(s, `mutation($i: CreateDatasourceInput!) { createDatasource(input: $i) { id } }`, { i: { name: 'Sales', kind: 'SQLITE', connection: { file: 'sales.sqlite' }, source: { table: 'sales' } } }, token))['createDatasource'].id;
    const model = {
      tabs: [{
        id: 'main',
        title: 'Sales',
        widgets: [
          { id: 'kpi', type: 'kpi', title: 'Revenue', datasourceId: ds, query: { measures: [{ agg: 'sum', field: 'amount', as: 'revenue' }] }, layout: { x: 0, y: 0, w: 4, h: 2 } },
          { id: 'tbl', type: 'table', title: 'By product', datasourceId: ds, query: { dimensions: ['region', 'product'], measures: [{ agg: 'sum', field: 'amount', as: 'amount' }] }, layout: { x: 4, y: 0, w: 8, h: 4 } },
        ],
      }],
      filters: [{ id: 'region', label: 'Region', field: 'region' }],
    };
    dashboardId = (await must(s, `mutation($m: JSON!) { createDashboard(input: {name: "Regional sales", model: $m}) { id } }`, { m: model }, token))['createDashboard'].id;
  }, 300_000);

  afterAll(async () => {
    await s?.close();
    await smtp?.close();
  });

  const managers = [
    { email: 'north@example.com', filters: [{ field: 'region', values: ['North'] }] },
    { email: 'south@example.com', filters: [{ field: 'region', values: ['South'] }] },
    { email: 'east@example.com', filters: [{ field: 'region', values: ['East'] }] },
  ];

  it('a scheduled report sends each of three managers a PDF with their region only', async () => {
    const report = (await must(s, `mutation($i: ReportInput!) { createReport(input: $i) { id nextRunAt } }`, {
      i: { name: 'Monday sales', dashboardId, recipients: managers, schedule: onceSoon(), timezone: 'UTC', options: { pageSize: 'A4', orientation: 'LANDSCAPE', timeZone: 'Europe/Paris' } },
    }, token))['createReport'];
    expect(report.nextRunAt).toBeTruthy();
    // The schedule fires once, a few seconds from now.
    let runId: string | null = null;
    for (let i = 0; i < 120 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 250));
      runId = (await must(s, `query($id: ID!) { runs(subjectId: $id) { id } }`, { id: report.id }, token))['runs'][0]?.id ?? null;
    }
    expect(runId).not.toBeNull();
    const end = (await runToEnd(s, token, runId!)).at(-1);
    expect(end.run.status, end.run.log).toBe('SUCCEEDED');
    expect(end.run.message).toBe('3 of 3 emails sent');

    const byRecipient = new Map(mails.map((m) => [m.to[0], m]));
    expect([...byRecipient.keys()].sort()).toEqual(['east@example.com', 'north@example.com', 'south@example.com']);
    expect(mails).toHaveLength(3);
    const text = (who: string) => pdfText(pdfOf(byRecipient.get(who)!));
    const north = text('north@example.com');
    expect(north).toContain('Regional sales');
    expect(north).toContain('20,200');
    expect(north).toContain('Anvils');
    expect(north).not.toMatch(/South|East|15,013|6,000|7,000/);
    const south = text('south@example.com');
    expect(south).toContain('21,013');
    expect(south).not.toMatch(/North|East|12,000|8,200/);
    const east = text('east@example.com');
    expect(east).toContain('7,000');
    expect(east).not.toMatch(/North|South|Anvils|Crucibles/);
    expect(byRecipient.get('north@example.com')!.raw).toMatch(/\/dashboards\//);
  }, 240_000);

  it('a run taken over after a crash sends nobody a second email', async () => {
    mails.length = 0;
    // The run as a worker would take it; the first worker "dies" right after the second email.
    const run = (await must(s, `mutation($d: ID!, $r: [RecipientInput!]!) { sendDashboard(dashboardId: $d, recipients: $r) { id } }`, { d: dashboardId, r: managers }, token))['sendDashboard'];
    // The server's own worker runs it too; wait for it, then replay the run as a second worker would.
    const first = (await runToEnd(s, token, run.id)).at(-1);
    expect(first.run.status).toBe('SUCCEEDED');
    expect(mails).toHaveLength(3);
    const runs = createRunJournal({ db: s.db, pubsub: createMemoryPubSub(), queue: createMemoryQueue() });
    const row = (await runs.get(decodeGlobalId(run.id).id))!;
    const handler = reportHandler({ db: s.db, storage: storageFromEnv({ DATA_DIR: s.dataDir }), platformUrl: () => s.url, mailer: () => createMailer({ host: '127.0.0.1', port: smtpPort, secure: false, from: 'reports@sightline.test' }) });
    const logs: string[] = [];
    const again = await handler({ run: row, signal: new AbortController().signal, attempt: 2, log: (t) => logs.push(t) });
    expect(again.message).toBe('3 of 3 emails sent');
    expect(logs.filter((l) => /already sent/.test(l))).toHaveLength(3);
    expect(mails).toHaveLength(3);
  }, 240_000);

  it('an SMTP outage is retried, then recorded as a clear failure in the history', async () => {
    const deadPort = await freePort();
    const down = await startTestServer('pglite', { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(deadPort), SMTP_FROM: 'reports@sightline.test', REPORT_MAIL_RETRY_MS: '50', REPORT_MAIL_ATTEMPTS: '3' });
    try {
      const t = (await down.signUp('Outage')).token;
      const dash = (await must(down, `mutation { createDashboard(input: {name: "Empty", model: {tabs: [{id: "a", title: "A", widgets: []}]}}) { id } }`, {}, t))['createDashboard'].id;
      const run = (await must(down, `mutation($d: ID!) { sendDashboard(dashboardId: $d, recipients: [{email: "boss@example.com"}]) { id } }`, { d: dash }, t))['sendDashboard'];
      const end = (await runToEnd(down, t, run.id)).at(-1);
      expect(end.run.status).toBe('FAILED');
      expect(end.run.message).toMatch(/^0 of 1 emails sent; boss@example.com: .*(ECONNREFUSED|connect|reach).*\(after 3 attempts\)/i);
      expect(end.run.log.match(/attempt \d failed/g)).toHaveLength(2);
      const history = (await must(down, `query($id: ID!) { runs(subjectId: $id) { status message } }`, { id: dash }, t))['runs'];
      expect(history[0].status).toBe('FAILED');

      // The organization's own SMTP server takes over from the server's broken one.
      const set = (await must(down, `mutation($i: MailSettingsInput) { updateMailSettings(input: $i) { mailSettings { host port from hasPassword } } }`, { i: { host: '127.0.0.1', port: smtpPort, from: 'Team <team@example.com>', user: 'team', password: 'smtp-secret' } }, t))['updateMailSettings'];
      expect(set.mailSettings).toEqual({ host: '127.0.0.1', port: smtpPort, from: 'Team <team@example.com>', hasPassword: true });
      // No login on the test server: set it again without one.
      const plain = (await must(down, `mutation($i: MailSettingsInput) { updateMailSettings(input: $i) { mailSettings { hasPassword } } }`, { i: { host: '127.0.0.1', port: smtpPort, from: 'Team <team@example.com>' } }, t))['updateMailSettings'];
      expect(plain.mailSettings.hasPassword).toBe(false);
      const bad = await down.gql(`mutation($i: MailSettingsInput) { updateMailSettings(input: $i) { id } }`, { i: { host: '127.0.0.1', port: smtpPort, from: 'not an address' } }, t);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      mails.length = 0;
      const again = (await must(down, `mutation($d: ID!) { sendDashboard(dashboardId: $d, recipients: [{email: "boss@example.com"}]) { id } }`, { d: dash }, t))['sendDashboard'];
      const ok = (await runToEnd(down, t, again.id)).at(-1);
      expect(ok.run.status, ok.run.log).toBe('SUCCEEDED');
      expect(mails.map((m) => m.to[0])).toEqual(['boss@example.com']);
      expect(mails[0]!.raw).toMatch(/From: Team <team@example.com>/);
    } finally {
      await down.close();
    }
  }, 240_000);

  it('the SDK exports and sends dashboards as scripts would', async () => {
    const client = createClient({ url: s.url, token, webSocketImpl: WebSocket });
    try {
      const exported = await client.reports.exportDashboardPdf(dashboardId, { filters: [{ field: 'region', values: ['East'] }], pageSize: 'A4' });
      const text = pdfText(Buffer.from(await exported.download()));
      expect(text).toContain('7,000');
      expect(text).not.toMatch(/North|South/);
      mails.length = 0;
      const run = await client.reports.sendDashboard(dashboardId, [{ email: 'cfo@example.com' }], { subject: 'Numbers' });
      expect(run.message).toBe('1 of 1 emails sent');
      expect(mails.map((m) => m.to[0])).toEqual(['cfo@example.com']);
      expect(mails[0]!.raw).toMatch(/Subject: Numbers/);
    } finally {
      await client.close();
    }
  }, 240_000);

  it('exports a PDF that downloads by link', async () => {
    const run = (await must(s, `mutation($d: ID!) { exportDashboardPdf(dashboardId: $d, options: {pageSize: LETTER}, filters: [{field: "region", values: ["South"]}]) { id } }`, { d: dashboardId }, token))['exportDashboardPdf'];
    const end = (await runToEnd(s, token, run.id)).at(-1);
    expect(end.run.status).toBe('SUCCEEDED');
    const fileId = (await must(s, `query($id: ID!) { run(id: $id) { outputFileId } }`, { id: run.id }, token))['run'].outputFileId;
    const url = (await must(s, `query($id: ID!) { file(id: $id) { downloadUrl contentType } }`, { id: fileId }, token))['file'].downloadUrl;
    const res = await fetch(s.url + url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(pdfText(pdf)).toContain('21,013');
    expect((await fetch(s.url + url.slice(0, -4) + 'AAAA')).status).toBe(404);
  }, 240_000);
});
