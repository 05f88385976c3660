import { z } from 'zod';
import { ConnectorError } from './errors';

/**
 * Connection settings are structured fields, never a URL or driver options: a URL would let a
 * user smuggle driver parameters (local files, sockets, TLS bypasses) past validation.
 */

const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$|^[0-9A-Fa-f:.]+$/, {
    message: 'must be a host name or an IP address (not a URL)',
  });

const identifier = z
  .string()
  .min(1)
  .max(128)
  .refine((s) => !s.includes('\0') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s), { message: 'must be a plain name' });

const pemCertificates = z
  .string()
  .max(65_536)
  .refine((s) => s.includes('-----BEGIN CERTIFICATE-----'), {
    message: 'must be PEM text (-----BEGIN CERTIFICATE-----), not a file path',
  });

export const SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

const serverFields = {
  host: hostname,
  port: z.int().min(1).max(65_535),
  database: identifier,
  user: identifier,
  password: z.string().max(1024),
  sslMode: z.enum(SSL_MODES),
  /** Certificate authority to verify the server against, as PEM text. */
  ca: pemCertificates.optional(),
};

const postgresSettings = z.strictObject({ kind: z.literal('postgres'), ...serverFields });
const redshiftSettings = z.strictObject({ kind: z.literal('redshift'), ...serverFields });
const mysqlSettings = z.strictObject({ kind: z.literal('mysql'), ...serverFields });

/** A name inside the configured SQLite root folder; where it really points is checked on open. */
export const sqliteRelativeFile = z
  .string()
  .min(1)
  .max(1024)
  .refine((f) => !f.includes('\0'), { message: 'must not contain NUL' })
  .refine((f) => !f.startsWith('/') && !f.startsWith('\\') && !/^[A-Za-z]:/.test(f), {
    message: 'must be relative to the SQLite root folder, not an absolute path',
  })
  .refine((f) => !f.split(/[\\/]/).includes('..'), { message: 'must not contain ".."' })
  .refine((f) => !/^[a-z][a-z0-9+.-]*:/i.test(f), { message: 'must be a file name, not a URI' });

const sqliteSettings = z.strictObject({ kind: z.literal('sqlite'), file: sqliteRelativeFile });

export const connectionSettingsSchema = z.discriminatedUnion('kind', [
  postgresSettings,
  redshiftSettings,
  mysqlSettings,
  sqliteSettings,
]);

export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;
export type ServerSettings = Extract<ConnectionSettings, { kind: 'postgres' | 'redshift' | 'mysql' }>;
export type PostgresSettings = Extract<ConnectionSettings, { kind: 'postgres' | 'redshift' }>;
export type MysqlSettings = Extract<ConnectionSettings, { kind: 'mysql' }>;
export type SqliteSettings = Extract<ConnectionSettings, { kind: 'sqlite' }>;
export type ConnectorKind = ConnectionSettings['kind'];

/** Validates untrusted settings; the error lists each bad field and never echoes values. */
export function parseConnectionSettings(input: unknown): ConnectionSettings {
  const result = connectionSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'settings';
    return `${where}: ${issue.message}`;
  });
  throw new ConnectorError('INVALID_SETTINGS', `Invalid connection settings — ${problems.join('; ')}`);
}
