/**
 * The warehouse: each organization's own schema in the platform's PostgreSQL (PGlite when
 * embedded), where files, REST sources, dataflows and scripts load their tables. Every loader
 * speaks these column types and values, so one writer serves them all.
 */
import { z } from 'zod';

export const WAREHOUSE_COLUMN_TYPES = ['text', 'bigint', 'double', 'numeric', 'boolean', 'date', 'timestamptz'] as const;
export type WarehouseColumnType = (typeof WAREHOUSE_COLUMN_TYPES)[number];

export interface WarehouseColumn {
  name: string;
  type: WarehouseColumnType;
}

/**
 * One cell as loaders hand it over: text as is, bigint/numeric as a decimal string or a safe
 * integer, double as a number, date as `YYYY-MM-DD`, timestamptz as ISO 8601 with offset.
 */
export type WarehouseValue = string | number | boolean | null;

export const LOAD_MODES = ['replace', 'append'] as const;
export type LoadMode = (typeof LOAD_MODES)[number];

/** Table and column names users give: kept readable, never quoted tricks. */
export const warehouseNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters (PostgreSQL identifier limit)')
  .regex(/^[A-Za-z_][A-Za-z0-9_ ]*$/, 'must start with a letter or _ and hold only letters, digits, _ and spaces');

export const warehouseColumnSchema = z
  .object({ name: z.string().min(1).max(63), type: z.enum(WAREHOUSE_COLUMN_TYPES) })
  .strict();

/** The schema an organization's tables live in: derived, never typed by a user. */
export function warehouseSchemaOf(organizationId: string): string {
  return `wh_${organizationId.replace(/-/g, '')}`;
}
