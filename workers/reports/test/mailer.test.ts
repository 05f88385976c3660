/**
 * Report email against a real SMTP server (smtp-server on loopback, started here): what the
 * server receives is read back byte for byte, and each way delivery can fail is classified
 * for retrying — refused connection, silence, 4xx, 5xx, a refused login or certificate.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer, MailError, mailSettingsFromEnv, MailSettingsError, type Mailer } from '../mail';
import { decodeBody, leaves, parseMime } from './mime';

interface Received {
  from: string;
  to: string[];
  raw: string;
  user: string | null;
}

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256)), Buffer.from('\n%%EOF\n')]);

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A real SMTP server on a free loopback port, collecting what it accepts. */
async function smtp(options: Partial<SMTPServerOptions> = {}): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, received };
}

function mailer(port: number, extra: Record<string, unknown> = {}, options = {}): Mailer {
  const m = createMailer({ host: '127.0.0.1', port, secure: false, from: 'Sightline reports <reports@example.com>', ...extra }, options);
  cleanups.push(() => m.close());
  return m;
}

async function failure(p: Promise<unknown>): Promise<MailError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailError);
  return err as MailError;
}

const report = {
  to: 'ada@example.com',
  subject: 'Weekly sales: 12 March 2025',
  text: 'The weekly sales report is attached.',
  html: '<p>The weekly sales report is attached.</p>',
  link: 'https://sightline.example.com/dashboards/RGFzaGJvYXJkOjE',
  attachment: { filename: 'weekly-sales-2025-03-12.pdf', content: PDF },
};

describe('report email', () => {
  it('delivers the message with the link in text and HTML and the PDF attached, byte for byte', async () => {
    const server = await smtp();
    const sent = await mailer(server.port).sendReportEmail(report);
    expect(sent.accepted).toEqual(['ada@example.com']);
    expect(sent.rejected).toEqual([]);

    expect(server.received).toHaveLength(1);
    const got = server.received[0]!;
    expect(got.from).toBe('reports@example.com');
    expect(got.to).toEqual(['ada@example.com']);
    const mail = parseMime(got.raw);
    expect(mail.headers['subject']).toBe('Weekly sales: 12 March 2025');
    expect(mail.headers['from']).toBe('Sightline reports <reports@example.com>');
    expect(mail.headers['message-id']).toBe(sent.messageId);

    const parts = leaves(mail);
    const text = parts.find((p) => /^text\/plain/.test(p.headers['content-type'] ?? ''))!;
    const html = parts.find((p) => /^text\/html/.test(p.headers['content-type'] ?? ''))!;
    const pdf = parts.find((p) => /filename="?weekly-sales-2025-03-12\.pdf/.test(p.headers['content-disposition'] ?? ''))!;
    expect(decodeBody(text).toString()).toContain(`Open the dashboard: ${report.link}`);
    expect(decodeBody(html).toString()).toContain(`<a href="${report.link}">Open the dashboard</a>`);
    expect(pdf.headers['content-type']).toMatch(/^application\/pdf/);
    expect(pdf.headers['content-disposition']).toMatch(/^attachment/);
    expect(pdf.headers['content-transfer-encoding']).toBe('base64');
    expect(decodeBody(pdf).equals(PDF)).toBe(true);
  });

  it('logs in when the settings have a user, and a refused login is permanent', async () => {
    const server = await smtp({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'reports' && auth.password === 'right password') callback(null, { user: auth.username });
        else callback(smtpError(535, 'Authentication credentials invalid'));
      },
    });
    await mailer(server.port, { user: 'reports', password: 'right password' }).sendReportEmail(report);
    expect(server.received.map((r) => r.user)).toEqual(['reports']);

    const refused = await failure(mailer(server.port, { user: 'reports', password: 'wrong password' }).sendReportEmail(report));
    expect(refused).toMatchObject({ code: 'PERMANENT', smtpCode: 535 });
    expect(refused.message).toContain(`127.0.0.1:${server.port}`);
    expect(refused.message).not.toContain('wrong password');
  });

  it('upgrades with STARTTLS; a certificate it cannot trust is permanent unless the settings accept it', async () => {
    // smtp-server's own certificate is self-signed: trusted only when told to.
    const server = await smtp({ disabledCommands: [] });
    const untrusted = await failure(mailer(server.port).sendReportEmail(report));
    expect(untrusted.code).toBe('PERMANENT');
    expect(server.received).toHaveLength(0);

    await mailer(server.port, { tls: { rejectUnauthorized: false } }).sendReportEmail(report);
    expect(server.received).toHaveLength(1);
  });

  it('is transient when the server refuses the connection or never greets', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await failure(mailer(port).sendReportEmail(report));
    expect(refused).toMatchObject({ code: 'TRANSIENT', smtpCode: undefined });
    expect(refused.message).toMatch(/ECONNREFUSED/);

    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      silent.close(() => r());
    }));
    const mute = await failure(mailer((silent.address() as AddressInfo).port, {}, { greetingTimeoutMs: 300 }).sendReportEmail(report));
    expect(mute).toMatchObject({ code: 'TRANSIENT', reason: 'ETIMEDOUT' });
  });

  it('is transient on a 4xx reply and permanent on a 5xx, at RCPT or after DATA', async () => {
    const rcpt = await smtp({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('later')) return callback(smtpError(451, 'Mailbox busy, try again later'));
        if (address.address.startsWith('nobody')) return callback(smtpError(550, 'No such user here'));
        callback();
      },
    });
    expect(await failure(mailer(rcpt.port).sendReportEmail({ ...report, to: 'later@example.com' }))).toMatchObject({ code: 'TRANSIENT', smtpCode: 451 });
    const gone = await failure(mailer(rcpt.port).sendReportEmail({ ...report, to: 'nobody@example.com' }));
    expect(gone).toMatchObject({ code: 'PERMANENT', smtpCode: 550 });
    expect(gone.message).toContain('No such user here');

    // Some recipients refused, others accepted: delivered, and the refused ones are named.
    const partly = await mailer(rcpt.port).sendReportEmail({ ...report, to: ['ada@example.com', 'nobody@example.com'] });
    expect(partly.accepted).toEqual(['ada@example.com']);
    expect(partly.rejected).toEqual(['nobody@example.com']);

    let reply = 451;
    const data = await smtp({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError(reply, reply === 451 ? 'Local error, try later' : 'Message too large')));
      },
    });
    expect(await failure(mailer(data.port).sendReportEmail(report))).toMatchObject({ code: 'TRANSIENT', smtpCode: 451 });
    reply = 552;
    expect(await failure(mailer(data.port).sendReportEmail(report))).toMatchObject({ code: 'PERMANENT', smtpCode: 552 });
  });

  it('refuses a malformed message before connecting, as permanent', async () => {
    const server = await smtp();
    const m = mailer(server.port);
    expect(await failure(m.sendReportEmail({ ...report, subject: 'Sales\r\nBcc: everyone@example.com' }))).toMatchObject({ code: 'PERMANENT' });
    expect(await failure(m.sendReportEmail({ ...report, to: 'not an address' }))).toMatchObject({ code: 'PERMANENT' });
    expect(await failure(m.sendReportEmail({ ...report, attachment: { filename: '../../etc/passwd', content: PDF } }))).toMatchObject({ code: 'PERMANENT' });
    expect(server.received).toHaveLength(0);
  });
});

describe('mail settings from the environment', () => {
  const base = { SMTP_HOST: 'smtp.example.com', SMTP_FROM: 'Reports <reports@example.com>' };

  it('reads them, with the port following SMTP_SECURE and the reverse', () => {
    expect(mailSettingsFromEnv(base)).toEqual({ host: 'smtp.example.com', port: 587, secure: false, from: 'Reports <reports@example.com>' });
    expect(mailSettingsFromEnv({ ...base, SMTP_SECURE: 'true' })).toMatchObject({ port: 465, secure: true });
    expect(mailSettingsFromEnv({ ...base, SMTP_PORT: '465' })).toMatchObject({ port: 465, secure: true });
    expect(mailSettingsFromEnv({ ...base, SMTP_PORT: '2525', SMTP_USER: 'u', SMTP_PASSWORD: 'p', SMTP_TLS_REJECT_UNAUTHORIZED: 'false' })).toEqual({
      host: 'smtp.example.com',
      port: 2525,
      secure: false,
      user: 'u',
      password: 'p',
      from: 'Reports <reports@example.com>',
      tls: { rejectUnauthorized: false },
    });
  });

  it('names the variable at fault, and never repeats the password', () => {
    const fault = (env: Record<string, string>) => {
      try {
        mailSettingsFromEnv(env);
      } catch (err) {
        expect(err).toBeInstanceOf(MailSettingsError);
        return err as MailSettingsError;
      }
      throw new Error('expected a MailSettingsError');
    };
    expect(fault({ SMTP_FROM: base.SMTP_FROM }).field).toBe('SMTP_HOST');
    expect(fault({ ...base, SMTP_PORT: 'smtp' }).message).toContain('SMTP_PORT must be a port number');
    expect(fault({ ...base, SMTP_SECURE: 'maybe' }).field).toBe('SMTP_SECURE');
    expect(fault({ ...base, SMTP_FROM: 'reports at example' }).field).toBe('SMTP_FROM');
    const lonely = fault({ ...base, SMTP_PASSWORD: 'hunter2-secret' });
    expect(lonely.field).toBe('SMTP_USER');
    expect(lonely.message).not.toContain('hunter2-secret');
  });
});
