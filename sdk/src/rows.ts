import { NetworkError } from './errors.js';
import type { ResultColumn } from './query-language.js';

/** Rows arrive as arrays in the order of `columns`; callers want objects keyed by column name. */
export function rowsToObjects<Row>(columns: readonly ResultColumn[], rows: unknown): Row[] {
  if (!Array.isArray(rows)) throw new NetworkError('a query result came without a list of rows');
  return rows.map((values: unknown) => {
    if (!Array.isArray(values)) throw new NetworkError('a query result row is not a list of values');
    const row: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      row[column.name] = values[i];
    });
    // The caller names the row type; the columns are what the query asked for.
    return row as Row;
  });
}
