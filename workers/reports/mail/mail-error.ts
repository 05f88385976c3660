/**
 * A failed delivery, classified for the caller's retry policy: TRANSIENT failures (no
 * connection, a timeout, a dropped socket, a 4xx reply such as 451 "try again later") may
 * succeed later; PERMANENT ones (a 5xx reply such as 550 "no such mailbox", a refused login or
 * certificate, a message the server cannot take) will fail the same way every time.
 */
export type MailErrorCode = 'TRANSIENT' | 'PERMANENT';

export class MailError extends Error {
  override readonly name = 'MailError';
  readonly code: MailErrorCode;
  /** The SMTP reply code, when the server answered (451, 550, 535…). */
  readonly smtpCode: number | undefined;
  /** Nodemailer's own code (ESOCKET, ETIMEDOUT, EENVELOPE, EAUTH…), for logs. */
  readonly reason: string | undefined;

  constructor(code: MailErrorCode, message: string, details: { smtpCode?: number; reason?: string } = {}) {
    super(message);
    this.code = code;
    this.smtpCode = details.smtpCode;
    this.reason = details.reason;
  }
}

/** Failures with no reply from the server that are not worth retrying. */
const PERMANENT_REASONS = new Set(['EAUTH', 'ETLS', 'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EOAUTH2', 'EREQUIRETLS']);

/**
 * Nodemailer reports a refused certificate as a socket error with only the TLS message left;
 * no retry will make the certificate acceptable.
 */
const CERTIFICATE = /certificate|self[- ]signed|unable to (get|verify)|altname|CERT_|hostname\/IP does not match/i;

interface NodemailerFailure {
  code?: unknown;
  responseCode?: unknown;
  message?: unknown;
}

export function classifyMailFailure(err: unknown, where: string): MailError {
  if (err instanceof MailError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as NodemailerFailure;
  const reason = typeof e.code === 'string' ? e.code : undefined;
  const smtpCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const said = typeof e.message === 'string' && e.message ? e.message : String(err);
  const message = `Sending mail through ${where} failed: ${said}`;
  const details = { ...(smtpCode === undefined ? {} : { smtpCode }), ...(reason === undefined ? {} : { reason }) };
  if (smtpCode !== undefined && smtpCode >= 400 && smtpCode < 500) return new MailError('TRANSIENT', message, details);
  if (smtpCode !== undefined && smtpCode >= 500 && smtpCode < 600) return new MailError('PERMANENT', message, details);
  if (reason && PERMANENT_REASONS.has(reason)) return new MailError('PERMANENT', message, details);
  if (CERTIFICATE.test(said)) return new MailError('PERMANENT', message, details);
  // Connection refused or reset, timeouts, DNS hiccups, and anything unrecognised: try again.
  return new MailError('TRANSIENT', message, details);
}
