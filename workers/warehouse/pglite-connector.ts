/**
 * Queries on the embedded PGlite. Values come back as PostgreSQL's text, as the pg connector
 * returns them, so the compiler's postgres decoder reads both the same way. PGlite cannot
 * interrupt a running statement: cancel takes effect between statements.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { RawValue, SourceColumn } from '../../query/types';
import { ConnectorError } from '../connectors';
import { DEFAULT_CHUNK_SIZE, type ConnectionTestResult, type Connector, type ExecuteOptions, type Introspection } from '../connectors/types';

type Parsers = Record<number, (value: string) => unknown>;

function textParsers(client: PGlite): Parsers {
  const known = (client as unknown as { parsers?: Record<string, unknown> }).parsers ?? {};
  const identity = (value: string) => value;
  const out: Parsers = {};
  for (const oid of Object.keys(known)) out[Number(oid)] = identity;
  for (const oid of [16, 20, 21, 23, 700, 701, 1082, 1114, 1184, 1700, 114, 3802]) out[oid] = identity;
  return out;
}

function failure(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = err as { message?: string; code?: string };
  return new ConnectorError(e.code === '25006' ? 'READ_ONLY_VIOLATION' : 'QUERY_FAILED', e.message ?? String(err), e.code);
}

export class PgliteConnector implements Connector {
  readonly kind = 'postgres' as const;
  readonly #parsers: Parsers;

  constructor(private readonly client: PGlite) {
    this.#parsers = textParsers(client);
  }

  async testConnection(): Promise<ConnectionTestResult> {
    const r = await this.client.query<[string]>('SELECT version()', [], { rowMode: 'array' });
    return { ok: true, serverVersion: r.rows[0]?.[0] ?? 'PGlite' };
  }

  introspect(): Promise<Introspection> {
    throw new ConnectorError('QUERY_FAILED', 'listing every schema of the embedded database is not offered');
  }

  describeQuery(): Promise<SourceColumn[]> {
    throw new ConnectorError('QUERY_FAILED', 'free SQL is not available on warehouse datasources');
  }

  async *execute(sql: string, params: readonly RawValue[], options: ExecuteOptions = {}): AsyncIterable<RawValue[][]> {
    if (options.signal?.aborted) throw new ConnectorError('CANCELLED', 'the query was cancelled');
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    let rows: RawValue[][];
    try {
      const values = params.map((p) => (p instanceof Date ? p.toISOString() : typeof p === 'bigint' ? p.toString() : p));
      const run = async (q: PGlite['query']) => (await q<RawValue[]>(sql, values, { rowMode: 'array', parsers: this.#parsers })).rows;
      rows = options.readOnly
        ? await this.client.transaction(async (tx) => {
            await tx.query('SET TRANSACTION READ ONLY');
            return run(tx.query.bind(tx) as PGlite['query']);
          })
        : await run(this.client.query.bind(this.client));
    } catch (err) {
      throw failure(err);
    }
    for (let i = 0; i < rows.length; i += chunkSize) {
      if (options.signal?.aborted) throw new ConnectorError('CANCELLED', 'the query was cancelled');
      yield rows.slice(i, i + chunkSize);
    }
  }

  async close(): Promise<void> {
    // The client belongs to the platform's database handle, which closes it.
  }
}
