/**
 * Runs one compiled query on a connector and collects the result in the output contract,
 * reporting progress as chunks arrive. Cancellation goes down to the database through the
 * connector's signal.
 */
import { createRowDecoder, type CompiledQuery } from '../../query';
import type { QueryResult } from '../../schema/jobs/query-job-contract';
import type { Connector } from '../connectors';

export interface ExecuteQueryOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** Called after each chunk with the rows received so far. */
  onProgress?: (rowsFetched: number) => void;
}

export async function executeCompiled(connector: Connector, compiled: CompiledQuery, options: ExecuteQueryOptions): Promise<QueryResult> {
  const decode = createRowDecoder(compiled.dialect, compiled.columns);
  const rows: unknown[][] = [];
  const cutAt = compiled.detectTruncationAt;
  // The compiled SQL always ends with this LIMIT, so the connector may fetch it in one go.
  const maxRows = cutAt ?? compiled.rowLimit;
  for await (const chunk of connector.execute(compiled.sql, compiled.params, { signal: options.signal, timeoutMs: options.timeoutMs, readOnly: true, maxRows })) {
    for (const raw of chunk) rows.push(decode(raw));
    options.onProgress?.(rows.length);
  }
  const truncated = cutAt !== null && rows.length >= cutAt;
  if (truncated) rows.length = compiled.rowLimit;
  return { columns: compiled.columns, rows, rowCount: rows.length, truncated };
}
