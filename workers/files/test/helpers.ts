import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WarehouseValue } from '../../../schema/domain/warehouse';
import type { CsvSource } from '../csv-types';

/** A temp folder for one test file's CSVs; `cleanup` removes it. */
export async function tempFolder(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

let counter = 0;

/**
 * Writes `content` to a new file and returns its opener. A small `chunkBytes` makes the file
 * arrive in tiny pieces, so characters and line breaks are split between chunks.
 */
export async function csvFile(dir: string, content: string | Buffer, chunkBytes?: number): Promise<CsvSource> {
  const file = path.join(dir, `file-${++counter}.csv`);
  await writeFile(file, content);
  return () => createReadStream(file, chunkBytes ? { highWaterMark: chunkBytes } : {});
}

export async function readAllRows(batches: AsyncIterable<WarehouseValue[][]>): Promise<WarehouseValue[][]> {
  const rows: WarehouseValue[][] = [];
  for await (const batch of batches) rows.push(...batch);
  return rows;
}

/** The rejection of `promise`, which must reject. */
export async function failureOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a failure');
}
