import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { RawValue } from '../../../query/types';
import { RAW_TEXT_TYPES } from './postgres-driver';

/** Where an execution reads its rows from, a chunk at a time; an empty chunk ends it. */
export interface PostgresRows {
  read(count: number): Promise<RawValue[][]>;
  /** Frees the server-side portal, if any; only after a read that did not fail. */
  close(): Promise<void>;
}

/** Streams through a cursor: memory stays at one chunk whatever the result size. */
export function cursorRows(client: pg.PoolClient, sql: string, params: readonly RawValue[]): PostgresRows {
  const cursor = client.query(new Cursor<RawValue[]>(sql, [...params], { rowMode: 'array', types: RAW_TEXT_TYPES }));
  return {
    read: (count) => cursor.read(count),
    close: () => cursor.close(),
  };
}

/**
 * Not in pg's typings. Extended protocol even without parameters: the simple protocol would
 * run several statements, and a `COMMIT;` inside the text would end the read-only transaction.
 */
type ExtendedArrayQuery = pg.QueryArrayConfig & { queryMode: 'extended' };

/**
 * Fetches the whole result with one Execute (no row limit), which PostgreSQL may run with
 * parallel workers, then hands it out from memory. Only for results the caller knows are small.
 */
export function bufferedRows(client: pg.PoolClient, sql: string, params: readonly RawValue[]): PostgresRows {
  const config: ExtendedArrayQuery = { text: sql, values: [...params], rowMode: 'array', types: RAW_TEXT_TYPES, queryMode: 'extended' };
  let result: Promise<RawValue[][]> | undefined;
  let offset = 0;
  return {
    async read(count) {
      result ??= client.query<RawValue[]>(config).then((r) => r.rows);
      const rows = await result;
      const chunk = rows.slice(offset, offset + count);
      offset += chunk.length;
      return chunk;
    },
    close: async () => undefined,
  };
}
