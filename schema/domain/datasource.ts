import { z } from 'zod';
import type { SourceRef } from '../../query/types';
import { warehouseColumnSchema, warehouseNameSchema } from './warehouse';
import { restConnectionSchema, type RestConnection } from './rest-source';

export const DATASOURCE_KINDS = ['postgres', 'mysql', 'sqlite', 'redshift', 'warehouse', 'file', 'rest'] as const;
export type DatasourceKind = (typeof DATASOURCE_KINDS)[number];

export const SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Kinds that connect to a database server over the network. */
export const SERVER_KINDS: readonly DatasourceKind[] = ['postgres', 'mysql', 'redshift'];

const hostname = z
  .string()
  .trim()
  .min(1, 'host is required')
  .max(253)
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'host must be a host name or an IP address, not a URL');

/**
 * Structured connection fields: never a URL or driver options, so nothing a user types can
 * turn on driver features (local file reads, other protocols).
 */
export const serverConnectionSchema = z
  .object({
    host: hostname,
    port: z.number().int().min(1).max(65535),
    database: z.string().min(1).max(128),
    user: z.string().min(1).max(128),
    sslMode: z.enum(SSL_MODES).default('disable'),
    /** A CA certificate as PEM text for verify-full; never a path on the server. */
    ca: z.string().max(65_536).startsWith('-----BEGIN CERTIFICATE-----', 'must be PEM text, not a file path').optional(),
  })
  .strict();
export type ServerConnection = z.infer<typeof serverConnectionSchema>;

/** A SQLite file, named inside the server's data folder: never an absolute path or `..`. */
export const sqliteConnectionSchema = z
  .object({
    file: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'file must be a relative name inside the data folder')
      .refine((f) => !f.split('/').some((part) => part === '..' || part === '.'), 'file may not contain . or .. segments'),
  })
  .strict();
export type SqliteConnection = z.infer<typeof sqliteConnectionSchema>;

/** Kinds whose data the platform loads into its warehouse; their `table` names it there. */
export const WAREHOUSE_KINDS: readonly DatasourceKind[] = ['warehouse', 'file', 'rest'];
export const isWarehouseKind = (kind: DatasourceKind) => WAREHOUSE_KINDS.includes(kind);

/** A table of the organization's warehouse (written by dataflows, scripts or by hand). */
export const warehouseConnectionSchema = z.object({ table: warehouseNameSchema }).strict();
export type WarehouseConnection = z.infer<typeof warehouseConnectionSchema>;

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;

/** An uploaded CSV file: what was detected, and the column types the user settled on. */
export const fileConnectionSchema = z
  .object({
    table: warehouseNameSchema,
    fileId: z.string().uuid().optional(),
    fileName: z.string().max(255).optional(),
    delimiter: z.enum(CSV_DELIMITERS).optional(),
    encoding: z.enum(CSV_ENCODINGS).optional(),
    hasHeader: z.boolean().optional(),
    columns: z.array(warehouseColumnSchema).min(1).max(1600).optional(),
  })
  .strict();
export type FileConnection = z.infer<typeof fileConnectionSchema>;

export type DatasourceConnection = ServerConnection | SqliteConnection | WarehouseConnection | FileConnection | RestConnection;

export const datasourceSecretsSchema = z
  .object({
    password: z.string().max(1024).optional(),
    /** REST sources: header values kept secret (Authorization, API keys). */
    headers: z.record(z.string().max(256), z.string().max(8192)).optional(),
  })
  .strict();
export type DatasourceSecrets = z.infer<typeof datasourceSecretsSchema>;

export type DatasourceSource = SourceRef;

export const datasourceSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('table'),
      schema: z.string().min(1).max(128).optional(),
      table: z.string().min(1).max(128),
    })
    .strict(),
  z
    .object({
      kind: z.literal('sql'),
      sql: z.string().trim().min(1).max(100_000),
    })
    .strict(),
]);

export const formulaSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(128)
      .refine((n) => !/[[\]]/.test(n), 'a formula name may not contain [ or ]'),
    expression: z.string().min(1).max(10_000),
  })
  .strict();

/** The connection schema each kind takes (kinds loaded into the warehouse take none). */
export function connectionSchemaFor(kind: DatasourceKind): z.ZodType<DatasourceConnection> {
  switch (kind) {
    case 'postgres':
    case 'mysql':
    case 'redshift':
      return serverConnectionSchema;
    case 'sqlite':
      return sqliteConnectionSchema;
    case 'warehouse':
      return warehouseConnectionSchema;
    case 'file':
      return fileConnectionSchema;
    case 'rest':
      return restConnectionSchema;
  }
}
