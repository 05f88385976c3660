/**
 * How to reach the SMTP server, checked once: from code (`parseMailSettings`) or from the
 * environment (`mailSettingsFromEnv`: SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER,
 * SMTP_PASSWORD, SMTP_FROM, SMTP_TLS_REJECT_UNAUTHORIZED). Errors name the setting and never
 * repeat the password.
 */
import { mailSettingsSchema, type MailSettings, type MailSettingsInput } from '../../../schema/domain/mail';
import { z } from 'zod';

export class MailSettingsError extends Error {
  override readonly name = 'MailSettingsError';
  readonly code = 'INVALID_MAIL_SETTINGS' as const;
  /** The setting at fault: a field name, or the environment variable. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`Mail settings: ${field} ${message}`);
    this.field = field;
  }
}

const schema = mailSettingsSchema;

export type { MailSettings, MailSettingsInput };

export function parseMailSettings(input: MailSettingsInput): MailSettings {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new MailSettingsError(issue.path.join('.') || 'settings', issue.message);
}

const ENV_FIELD: Record<string, string> = {
  host: 'SMTP_HOST',
  port: 'SMTP_PORT',
  secure: 'SMTP_SECURE',
  user: 'SMTP_USER',
  password: 'SMTP_PASSWORD',
  from: 'SMTP_FROM',
  tls: 'SMTP_TLS_REJECT_UNAUTHORIZED',
};

function flag(env: Record<string, string | undefined>, name: string): boolean | undefined {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new MailSettingsError(name, `must be true or false, got "${env[name]}"`);
}

export function mailSettingsFromEnv(env: Record<string, string | undefined> = process.env): MailSettings {
  const secure = flag(env, 'SMTP_SECURE');
  const rawPort = env['SMTP_PORT']?.trim();
  let port: number;
  if (rawPort) {
    port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port < 1 || port > 65_535) throw new MailSettingsError('SMTP_PORT', `must be a port number (1–65535), got "${rawPort}"`);
  } else port = secure ? 465 : 587;
  const reject = flag(env, 'SMTP_TLS_REJECT_UNAUTHORIZED');
  const text = (name: string) => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  try {
    return parseMailSettings({
      host: env['SMTP_HOST'] ?? '',
      port,
      // Port 465 speaks TLS at once; the others upgrade with STARTTLS.
      secure: secure ?? port === 465,
      user: text('SMTP_USER'),
      password: text('SMTP_PASSWORD'),
      from: env['SMTP_FROM'] ?? '',
      ...(reject === undefined ? {} : { tls: { rejectUnauthorized: reject } }),
    });
  } catch (err) {
    if (err instanceof MailSettingsError) {
      const field = err.field.split('.')[0]!;
      const message = err.message.replace(/^Mail settings: \S+ /, '');
      throw new MailSettingsError(ENV_FIELD[field] ?? err.field, message);
    }
    throw err;
  }
}
