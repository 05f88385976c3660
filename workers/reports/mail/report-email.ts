/**
 * The report as an email: the caller's subject, text and HTML, the dashboard's link added to
 * both when they do not already carry it, and the PDF attached. Checked before anything is
 * sent, so a malformed message is a permanent failure at once, not a bounce later.
 */
import type Mail from 'nodemailer/lib/mailer';
import { z } from 'zod';
import { MailError } from './mail-error';

export interface ReportEmail {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  /** The dashboard's address, for readers who want it live. */
  link?: string;
  attachment?: { filename: string; content: Buffer; contentType?: string };
}

const schema = z.object({
  to: z.union([z.email(), z.array(z.email()).min(1).max(100)]),
  // A line break in a subject would start a new header.
  subject: z.string().trim().min(1).max(300).regex(/^[^\r\n]*$/, 'must be one line'),
  text: z.string().max(100_000),
  html: z.string().max(500_000).optional(),
  link: z.url({ protocol: /^https?$/ }).optional(),
  attachment: z
    .object({
      filename: z.string().trim().min(1).max(200).regex(/^[^\\/\r\n]+$/, 'must be a file name, not a path'),
      content: z.instanceof(Buffer),
      contentType: z.string().optional(),
    })
    .optional(),
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function composeReportEmail(email: ReportEmail, from: string): Mail.Options {
  const r = schema.safeParse(email);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new MailError('PERMANENT', `The report email is malformed: ${issue.path.join('.') || 'message'} ${issue.message}`, { reason: 'EMESSAGE' });
  }
  const m = r.data;
  const text = m.link && !m.text.includes(m.link) ? `${m.text}\n\nOpen the dashboard: ${m.link}\n` : m.text;
  const html = m.html === undefined ? undefined : m.link && !m.html.includes(m.link) ? `${m.html}\n<p><a href="${escapeHtml(m.link)}">Open the dashboard</a></p>` : m.html;
  return {
    from,
    to: m.to,
    subject: m.subject,
    text,
    ...(html === undefined ? {} : { html }),
    ...(m.attachment ? { attachments: [{ filename: m.attachment.filename, content: m.attachment.content, contentType: m.attachment.contentType ?? 'application/pdf' }] } : {}),
  };
}
