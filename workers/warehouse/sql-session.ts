/**
 * The little the writer needs from a database connection, over pg and PGlite alike: plain
 * statements, and a way to push many rows into one table.
 */
import { once } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { WarehouseValue } from '../../schema/domain/warehouse';
import { WarehouseError } from './errors';
import { quoteIdent } from './identifiers';

export interface SqlSession {
  query(sql: string, params?: readonly unknown[]): Promise<unknown[][]>;
  /** Writes rows into `target` (already quoted), batch by batch, honouring the signal. */
  writeRows(target: string, columnNames: readonly string[], batches: AsyncIterable<WarehouseValue[][]>, progress: (n: number) => void, signal?: AbortSignal): Promise<number>;
  /** Runs `work` in one transaction; PGlite's shared connection needs its own API for that. */
  transaction(work: (query: SqlSession['query']) => Promise<void>): Promise<void>;
  release(failed: boolean): void;
}

function checkSignal(signal?: AbortSignal): void {
  if (signal?.aborted) throw new WarehouseError('CANCELLED', 'the load was cancelled');
}

/** CSV for COPY: NULL is an unquoted empty field, every text is quoted, so "" stays a string. */
export function copyLine(row: readonly WarehouseValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += ',';
    const v = row[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'boolean') line += v ? 't' : 'f';
    else if (typeof v === 'number') line += Number.isFinite(v) ? String(v) : `"${String(v)}"`;
    else line += `"${v.replace(/"/g, '""')}"`;
  }
  return line + '\n';
}

export function pgSession(client: pg.PoolClient): SqlSession {
  return {
    async query(sql, params = []) {
      const r = await client.query({ text: sql, values: [...params], rowMode: 'array' });
      return r.rows as unknown[][];
    },
    async writeRows(target, columnNames, batches, progress, signal) {
      const cols = columnNames.map(quoteIdent).join(', ');
      const stream = client.query(copyFrom(`COPY ${target} (${cols}) FROM STDIN WITH (FORMAT csv)`));
      const finished = new Promise<void>((resolve, reject) => {
        stream.once('finish', resolve);
        stream.once('error', reject);
      });
      // A rejection before we await it must not surface as unhandled.
      finished.catch(() => undefined);
      let written = 0;
      try {
        for await (const batch of batches) {
          checkSignal(signal);
          let chunk = '';
          for (const row of batch) chunk += copyLine(row);
          if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), finished]);
          written += batch.length;
          progress(written);
        }
        checkSignal(signal);
        stream.end();
        await finished;
        return written;
      } catch (err) {
        // Ending the COPY with an error makes the server discard it; the connection stays usable.
        stream.destroy(err instanceof Error ? err : new Error(String(err)));
        await finished.catch(() => undefined);
        throw err;
      }
    },
    async transaction(work) {
      await client.query('BEGIN');
      try {
        await work(async (sql, params = []) => (await client.query({ text: sql, values: [...params], rowMode: 'array' })).rows as unknown[][]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    release: (failed) => client.release(failed),
  };
}

/** Bound parameters per INSERT stay far below PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;

export function pgliteSession(client: PGlite): SqlSession {
  return {
    async query(sql, params = []) {
      const r = await client.query<unknown[]>(sql, [...params], { rowMode: 'array' });
      return r.rows;
    },
    async writeRows(target, columnNames, batches, progress, signal) {
      const width = Math.max(1, columnNames.length);
      const perInsert = Math.max(1, Math.floor(MAX_PARAMS / width));
      const cols = columnNames.map(quoteIdent).join(', ');
      let written = 0;
      for await (const batch of batches) {
        for (let start = 0; start < batch.length; start += perInsert) {
          checkSignal(signal);
          const rows = batch.slice(start, start + perInsert);
          const params: unknown[] = [];
          const tuples = rows.map((row) => `(${row.map((v) => (params.push(v === null ? null : typeof v === 'boolean' ? (v ? 't' : 'f') : String(v)), `$${params.length}`)).join(', ')})`);
          await client.query(`INSERT INTO ${target} (${cols}) VALUES ${tuples.join(', ')}`, params);
          written += rows.length;
        }
        progress(written);
      }
      checkSignal(signal);
      return written;
    },
    async transaction(work) {
      await client.transaction(async (tx) => {
        await work(async (sql, params = []) => (await tx.query<unknown[]>(sql, [...params], { rowMode: 'array' })).rows);
      });
    },
    release: () => undefined,
  };
}
