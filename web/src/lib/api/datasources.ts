/** Datasource inspection the SDK has no helpers for yet: fields, tables, connection tests, formula checks. */
import { doc, type SightlineClient } from './client';

export type FieldType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP';
export type DatasourceKind = 'POSTGRES' | 'MYSQL' | 'SQLITE' | 'REDSHIFT' | 'FILE' | 'REST' | 'WAREHOUSE';
export type SslMode = 'DISABLE' | 'REQUIRE' | 'VERIFY_FULL';

/** Where in a formula's text an error is: character offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
}
export interface QueryError {
  code: string;
  message: string;
  path: string | null;
  formula: string | null;
  position: Span | null;
}
export interface Column {
  name: string;
  type: FieldType;
  nativeType: string;
}
export interface FormulaField {
  name: string;
  expression: string;
  type: FieldType | null;
  aggregate: boolean | null;
  error: QueryError | null;
}
export interface Fields {
  columns: Column[];
  formulas: FormulaField[];
  error: QueryError | null;
}
export interface Table {
  name: string;
  schema: string | null;
  kind: string;
  columns: Column[];
}
export interface ConnectionInput {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslMode?: SslMode;
  file?: string;
}
export interface ConnectionTest {
  ok: boolean;
  serverVersion: string | null;
  error: QueryError | null;
}

const ERROR = `error { code message path formula position }`;
const FIELDS = doc<{ datasource: { fields: Fields } | null }, { id: string }>(
  `query DatasourceFieldsOf($id: ID!) { datasource(id: $id) { fields { columns { name type nativeType } formulas { name expression type aggregate ${ERROR} } ${ERROR} } } }`,
);
const TABLES = doc<{ datasource: { tables: { tables: Table[]; error: QueryError | null } } | null }, { id: string }>(
  `query DatasourceTables($id: ID!) { datasource(id: $id) { tables { tables { name schema kind columns { name type nativeType } } ${ERROR} } } }`,
);
const TEST_CONNECTION = doc<{ testConnection: ConnectionTest }, { input: { kind: DatasourceKind; connection: ConnectionInput } }>(
  `mutation TestConnection($input: TestConnectionInput!) { testConnection(input: $input) { ok serverVersion ${ERROR} } }`,
);
const TEST_DATASOURCE = doc<{ testDatasource: ConnectionTest }, { id: string }>(
  `mutation TestDatasource($id: ID!) { testDatasource(id: $id) { ok serverVersion ${ERROR} } }`,
);
const VALIDATE = doc<{ validateFormula: FormulaField }, { id: string; expression: string; name: string | null }>(
  `query ValidateFormula($id: ID!, $expression: String!, $name: String) { validateFormula(datasourceId: $id, expression: $expression, name: $name) { name expression type aggregate ${ERROR} } }`,
);

export async function fieldsOf(c: SightlineClient, id: string, signal?: AbortSignal): Promise<Fields | null> {
  return (await c.request(FIELDS, { id }, signal)).datasource?.fields ?? null;
}
export async function tablesOf(c: SightlineClient, id: string) {
  return (await c.request(TABLES, { id })).datasource?.tables ?? null;
}
export async function testConnection(c: SightlineClient, kind: DatasourceKind, connection: ConnectionInput): Promise<ConnectionTest> {
  return (await c.request(TEST_CONNECTION, { input: { kind, connection } })).testConnection;
}
export async function testDatasource(c: SightlineClient, id: string): Promise<ConnectionTest> {
  return (await c.request(TEST_DATASOURCE, { id })).testDatasource;
}
export async function validateFormula(c: SightlineClient, id: string, expression: string, name: string | null, signal?: AbortSignal): Promise<FormulaField> {
  return (await c.request(VALIDATE, { id, expression, name }, signal)).validateFormula;
}

/** A span from the API's untyped `position`, if it is one. */
export function spanOf(position: unknown): Span | null {
  if (typeof position !== 'object' || position === null) return null;
  const { start, end } = position as Record<string, unknown>;
  return typeof start === 'number' && typeof end === 'number' ? { start, end } : null;
}
