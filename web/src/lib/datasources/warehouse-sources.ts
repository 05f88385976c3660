/**
 * Datasources loaded into the warehouse: a CSV uploaded as a file, or a REST/JSON source. Each
 * creation answers with the run that loads it, followed like any other run.
 */
import type { Run } from '$sdk';
import { errorFromGraphQL, NetworkError, type GraphQLErrorShape } from '$sdk/errors.js';
import { apiUrl, doc, type SightlineClient } from '$lib/api/client';

export interface DatasourceLoad {
  datasource: { id: string; name: string };
  run: Run;
}

export interface RestSourceInput {
  name: string;
  url: string;
  /** Where the rows are in the body, e.g. data.items; "" for the whole body. */
  rowsPath: string;
  pagination: { kind: 'none' } | { kind: 'page'; pageParam: string };
  secretHeaders?: Record<string, string>;
  /** A cron expression; "" for manual refreshes only. */
  refreshSchedule: string;
}

export interface WarehouseConnection {
  table: string | null;
  url: string | null;
}

const RUN_FIELDS = `id kind subjectId status trigger message rowsWritten createdAt startedAt finishedAt`;
const LOAD_FIELDS = `datasource { id name } run { ${RUN_FIELDS} }`;

const UPLOAD = `mutation UploadFile($file: Upload!, $name: String) { uploadFile(file: $file, name: $name) { id name size } }`;
const CREATE_FILE = doc<{ createFileDatasource: DatasourceLoad }, { input: { name: string; fileId: string } }>(
  `mutation CreateFileDatasource($input: FileDatasourceInput!) { createFileDatasource(input: $input) { ${LOAD_FIELDS} } }`,
);
const CREATE_REST = doc<{ createRestDatasource: DatasourceLoad }, { input: RestSourceInput }>(
  `mutation CreateRestDatasource($input: RestDatasourceInput!) { createRestDatasource(input: $input) { ${LOAD_FIELDS} } }`,
);
const CONNECTION = doc<{ datasource: { connection: WarehouseConnection } | null }, { id: string }>(
  `query WarehouseConnection($id: ID!) { datasource(id: $id) { connection { table url } } }`,
);

/**
 * Sends a file with the GraphQL multipart request spec (operations, map, then the file). The
 * SDK's transport speaks JSON only, so this one request is made here.
 */
export async function uploadFile(token: string | null, file: File, name?: string): Promise<{ id: string; name: string; size: number }> {
  const body = new FormData();
  body.append('operations', JSON.stringify({ query: UPLOAD, variables: { file: null, name: name ?? file.name } }));
  body.append('map', JSON.stringify({ '0': ['variables.file'] }));
  body.append('0', file, file.name);
  let response: Response;
  try {
    response = await fetch(`${apiUrl()}/graphql`, {
      method: 'POST',
      headers: { accept: 'application/graphql-response+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  } catch (err) {
    throw new NetworkError(`could not send the file: ${(err as Error).message}`, { cause: err });
  }
  const result = (await response.json().catch(() => null)) as { data?: { uploadFile: { id: string; name: string; size: number } | null } | null; errors?: GraphQLErrorShape[] } | null;
  if (result?.errors?.length) throw errorFromGraphQL(result.errors);
  if (!result?.data?.uploadFile) throw new NetworkError(`the upload answered ${response.status} without a file`, { status: response.status });
  return result.data.uploadFile;
}

export const createFileDatasource = async (c: SightlineClient, name: string, fileId: string): Promise<DatasourceLoad> =>
  (await c.request(CREATE_FILE, { input: { name, fileId } })).createFileDatasource;

export const createRestDatasource = async (c: SightlineClient, input: RestSourceInput): Promise<DatasourceLoad> =>
  (await c.request(CREATE_REST, { input })).createRestDatasource;

export const warehouseConnection = async (c: SightlineClient, id: string): Promise<WarehouseConnection | null> =>
  (await c.request(CONNECTION, { id })).datasource?.connection ?? null;

/** A datasource name from a file name: "sales-2024.csv" → "sales-2024". */
export const nameFromFile = (fileName: string): string => fileName.replace(/\.[^.]+$/, '').trim() || 'Uploaded file';
