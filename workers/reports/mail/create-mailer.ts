/**
 * A mailer for one SMTP server: sends report emails and turns every failure into a MailError
 * that says whether to retry. Timeouts are bounded so a silent server fails (transiently) in
 * seconds instead of holding a worker.
 */
import nodemailer from 'nodemailer';
import { classifyMailFailure } from './mail-error';
import { parseMailSettings, type MailSettings, type MailSettingsInput } from './mail-settings';
import { composeReportEmail, type ReportEmail } from './report-email';

export interface MailerOptions {
  /** Connecting, the server's greeting, and silence on an open socket (default 30 s each). */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

export interface SentReport {
  messageId: string;
  accepted: string[];
  /** Recipients the server refused while accepting others. */
  rejected: string[];
}

export interface Mailer {
  sendReportEmail(email: ReportEmail): Promise<SentReport>;
  /** Connects and logs in without sending: for a settings screen's "test" button. */
  verify(): Promise<void>;
  close(): void;
}

function addresses(list: unknown): string[] {
  return Array.isArray(list) ? list.map((a) => (typeof a === 'string' ? a : String((a as { address?: unknown }).address ?? ''))) : [];
}

export function createMailer(input: MailSettings | MailSettingsInput, options: MailerOptions = {}): Mailer {
  const settings = parseMailSettings(input);
  const where = `${settings.host}:${settings.port}`;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user !== undefined && settings.password !== undefined ? { auth: { user: settings.user, pass: settings.password } } : {}),
    ...(settings.tls ? { tls: { rejectUnauthorized: settings.tls.rejectUnauthorized } } : {}),
    connectionTimeout: options.connectionTimeoutMs ?? 30_000,
    greetingTimeout: options.greetingTimeoutMs ?? 30_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
  });
  return {
    async sendReportEmail(email) {
      const message = composeReportEmail(email, settings.from);
      try {
        const info = await transport.sendMail(message);
        return { messageId: info.messageId, accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
      } catch (err) {
        throw classifyMailFailure(err, where);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw classifyMailFailure(err, where);
      }
    },
    close() {
      transport.close();
    },
  };
}
