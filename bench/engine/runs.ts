/**
 * The two sides of the engine benchmark. The engine side is what a query runner does for one
 * query: compile, stream through the datasource's connector, decode every row into the result.
 * The baseline is one `client.query` of the same SQL and parameters on a plain pg client.
 */
import type pg from 'pg';
import { compileQuery, createRowDecoder, type FormulaDef, type SourceColumn, type SourceRef } from '../../query';
import type { Connector } from '../../workers/connectors';

export interface EngineInput {
  connector: Connector;
  source: SourceRef;
  columns: readonly SourceColumn[];
  formulas: readonly FormulaDef[];
  query: unknown;
}

/** Rows of the decoded result, so both sides return something comparable. */
export async function runEngine(input: EngineInput): Promise<unknown[][]> {
  const compiled = compileQuery({ dialect: 'postgres', source: input.source, columns: input.columns, formulas: input.formulas, query: input.query });
  const decode = createRowDecoder('postgres', compiled.columns);
  const rows: unknown[][] = [];
  for await (const chunk of input.connector.execute(compiled.sql, compiled.params, { readOnly: true })) {
    for (const row of chunk) rows.push(decode(row));
  }
  return rows;
}

export async function runRaw(client: pg.Client, sql: string, params: readonly unknown[]): Promise<unknown[]> {
  const result = await client.query(sql, [...params]);
  return result.rows;
}
