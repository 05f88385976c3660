/**
 * PDF exports and report emails. Each recipient's PDF is rendered with a display token made for
 * that render only — the dashboard alone, the recipient's filters forced on every query, gone
 * after ten minutes and deleted at once — so a PDF can only hold that recipient's figures.
 * Every email sent is recorded before the next one; a run taken over after a crash skips those.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../../schema/database';
import { encodeGlobalId } from '../../../schema/domain/global-id';
import { pdfOptionsSchema, type ForcedFilter, type PdfOptions, type Recipient } from '../../../schema/domain/report';
import { hashToken } from '../../../schema/secrets';
import { dashboards, displayTokens, files, reportDeliveries, reports } from '../../../schema/tables';
import type { FileStorage } from '../../../infra/storage';
import { renderDashboard, type BrowserPool } from '../../reports';
import { MailError, type Mailer } from '../../reports/mail';
import { RunFailure, type RunHandler } from '../run-handler';

export interface ReportDeps {
  db: Db;
  storage: FileStorage;
  platformUrl: () => string | null;
  /** The organization's mailer (its own server, else the server's); null when neither is set. */
  mailer: (organizationId: string) => Promise<Mailer | null> | Mailer | null;
  browsers?: BrowserPool;
  /** Tries per email on transient SMTP failures, and the first pause between them. */
  mailAttempts?: number;
  mailRetryMs?: number;
  widgetTimeoutMs?: number;
  totalTimeoutMs?: number;
}

interface Job {
  dashboardId: string;
  options: PdfOptions;
  targets: { email: string | null; filters: ForcedFilter[] }[];
  subject: string | null;
  message: string | null;
}

async function jobOf(db: Db, run: Parameters<RunHandler>[0]['run']): Promise<Job> {
  if (run.params.kind === 'pdf_export') {
    const p = run.params;
    const targets = p.recipients.length ? p.recipients.map((r: Recipient) => ({ email: r.email, filters: [...p.filters, ...r.filters] })) : [{ email: null, filters: p.filters }];
    return { dashboardId: run.subjectId, options: p.options, targets, subject: p.subject ?? null, message: p.message ?? null };
  }
  const [report] = await db.select().from(reports).where(and(eq(reports.organizationId, run.organizationId), eq(reports.id, run.subjectId))).limit(1);
  if (!report) throw new RunFailure('the report was deleted');
  if (report.recipients.length === 0) throw new RunFailure('the report has no recipients');
  return { dashboardId: report.dashboardId, options: pdfOptionsSchema.parse(report.options), targets: report.recipients.map((r) => ({ email: r.email, filters: r.filters })), subject: report.subject, message: report.message };
}

const pause = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
});

export function reportHandler(deps: ReportDeps): RunHandler {
  const attempts = deps.mailAttempts ?? 3;
  const retryMs = deps.mailRetryMs ?? 2000;
  return async ({ run, signal, log }) => {
    const job = await jobOf(deps.db, run);
    const [dashboard] = await deps.db.select({ id: dashboards.id, name: dashboards.name }).from(dashboards).where(and(eq(dashboards.organizationId, run.organizationId), eq(dashboards.id, job.dashboardId))).limit(1);
    if (!dashboard) throw new RunFailure('the dashboard was deleted');
    const origin = deps.platformUrl();
    if (!origin) throw new RunFailure('the platform address is not known (PLATFORM_URL)');
    const mailer = job.targets.some((t) => t.email) ? await deps.mailer(run.organizationId) : null;
    if (job.targets.some((t) => t.email) && !mailer) throw new RunFailure('no SMTP server is configured (SMTP_HOST): the report cannot be emailed');
    const title = job.options.title || dashboard.name;
    const done = new Set((await deps.db.select({ email: reportDeliveries.email }).from(reportDeliveries).where(eq(reportDeliveries.runId, run.id))).map((d) => d.email));

    let lastFileId: string | null = null;
    const failures: string[] = [];
    let sent = 0;
    for (const target of job.targets) {
      if (signal.aborted) break;
      if (target.email && done.has(target.email)) {
        log(`${target.email}: already sent by an earlier attempt of this run`);
        continue;
      }
      const who = target.email ?? 'export';
      const token = `sld_${randomBytes(32).toString('base64url')}`;
      const [credential] = await deps.db
        .insert(displayTokens)
        .values({
          organizationId: run.organizationId,
          name: `report run ${run.id}`,
          target: { kind: 'dashboard', id: dashboard.id },
          tokenHash: hashToken(token),
          prefix: token.slice(0, 8),
          filters: target.filters,
          expiresAt: new Date(Date.now() + 10 * 60_000),
          createdBy: run.requestedBy,
        })
        .returning({ id: displayTokens.id });
      let pdf: Buffer;
      try {
        const rendered = await renderDashboard(
          {
            origin,
            dashboardId: encodeGlobalId('Dashboard', dashboard.id),
            token,
            tab: job.options.tab,
            title,
            timestamp: new Date(),
            timeZone: job.options.timeZone,
            pageSize: job.options.pageSize,
            orientation: job.options.orientation,
            widgetTimeoutMs: deps.widgetTimeoutMs ?? 60_000,
            totalTimeoutMs: deps.totalTimeoutMs ?? 120_000,
            signal,
          },
          deps.browsers,
        );
        pdf = rendered.pdf;
        const late = rendered.widgets.filter((w) => w.state !== 'done');
        log(`${who}: ${rendered.widgets.length} widgets rendered${late.length ? ` (${late.map((w) => `${w.title || w.id}: ${w.state}`).join(', ')})` : ''}`);
      } finally {
        await deps.db.delete(displayTokens).where(eq(displayTokens.id, credential!.id));
      }
      const fileId = uuidv7();
      const storageKey = `orgs/${run.organizationId}/reports/${fileId}.pdf`;
      const stored = await deps.storage.put(storageKey, Readable.from([pdf]), { contentType: 'application/pdf' });
      const day = new Date().toISOString().slice(0, 10);
      await deps.db.insert(files).values({ id: fileId, organizationId: run.organizationId, name: `${title} ${day}.pdf`, contentType: 'application/pdf', size: stored.size, sha256: stored.sha256, storageKey, createdBy: run.requestedBy });
      lastFileId = fileId;
      if (!target.email) continue;

      const link = `${origin.replace(/\/$/, '')}/dashboards/${encodeURIComponent(encodeGlobalId('Dashboard', dashboard.id))}`;
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await mailer!.sendReportEmail({
            to: target.email,
            subject: job.subject || `${title} — ${day}`,
            text: `${job.message ? `${job.message}\n\n` : ''}${title}, as of ${new Date().toUTCString()}. Open it live: ${link}`,
            link,
            attachment: { filename: `${title} ${day}.pdf`.replace(/[\\/:*?"<>|]+/g, '-'), content: pdf, contentType: 'application/pdf' },
          });
          await deps.db.insert(reportDeliveries).values({ runId: run.id, email: target.email, fileId, messageId: result.messageId }).onConflictDoNothing();
          sent++;
          log(`${target.email}: sent`);
          break;
        } catch (err) {
          const transient = err instanceof MailError && err.code === 'TRANSIENT';
          const why = (err as Error).message;
          if (transient && attempt < attempts && !signal.aborted) {
            log(`${target.email}: attempt ${attempt} failed (${why}); trying again`);
            await pause(retryMs * 2 ** (attempt - 1), signal);
            continue;
          }
          failures.push(`${target.email}: ${why}${transient ? ` (after ${attempt} attempts)` : ''}`);
          log(`${target.email}: not sent: ${why}`, 'stderr');
          break;
        }
      }
    }
    const emails = job.targets.filter((t) => t.email).length;
    if (failures.length) return { status: 'failed', outputFileId: lastFileId, message: `${sent + done.size} of ${emails} emails sent; ${failures.join('; ')}` };
    return { outputFileId: lastFileId, message: emails ? `${sent + done.size} of ${emails} emails sent` : 'PDF ready' };
  };
}
