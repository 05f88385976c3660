import Database from 'better-sqlite3';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FormulaDef } from '../../query/types';
import { SAMPLE_FORMULAS } from './formulas';
import { DEFAULT_GENERATE_OPTIONS, SAMPLE_TABLE, SAMPLE_VERSION, generateOrders, type GenerateOptions } from './generate-orders';

export const SAMPLE_FILE_NAME = 'sightline-sample.sqlite';

export interface SampleDatabase {
  /** Absolute path of the SQLite file. */
  file: string;
  table: typeof SAMPLE_TABLE;
  formulas: readonly FormulaDef[];
  /** How long generating took, or `null` when an existing file was reused. */
  generatedInMs: number | null;
}

function isCurrent(file: string, rows: number): boolean {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const info = new Map(db.prepare('SELECT key, value FROM sample_info').raw(true).all() as [string, string][]);
      return info.get('version') === String(SAMPLE_VERSION) && info.get('rows') === String(rows);
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

const building = new Map<string, Promise<SampleDatabase>>();

/**
 * The sample datasource's SQLite file in `dir`, generated on first use and reused afterwards.
 * Built under a temporary name and renamed, so a reader never sees half a file.
 */
export function ensureSampleDatabase(dir: string, options: Partial<GenerateOptions> = {}): Promise<SampleDatabase> {
  const file = path.resolve(dir, SAMPLE_FILE_NAME);
  let pending = building.get(file);
  if (!pending) {
    pending = build(file, { ...DEFAULT_GENERATE_OPTIONS, ...options }).finally(() => building.delete(file));
    building.set(file, pending);
  }
  return pending;
}

async function build(file: string, options: GenerateOptions): Promise<SampleDatabase> {
  const result = { file, table: SAMPLE_TABLE, formulas: SAMPLE_FORMULAS } as const;
  const exists = await stat(file).then(() => true, () => false);
  if (exists && isCurrent(file, options.rows)) return { ...result, generatedInMs: null };
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  const started = performance.now();
  try {
    generateOrders(temporary, options);
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
  return { ...result, generatedInMs: Math.round(performance.now() - started) };
}
