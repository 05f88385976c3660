/**
 * The contract between the API and the workers for short operations on a datasource's
 * database (testing a connection, listing tables, describing columns). The API calls it; the
 * workers implement it; the entry point connects the two — in-process, or over the queue.
 */
import type { FieldType, SourceColumn } from '../../query/types';
import type { DatasourceConnection, DatasourceKind, DatasourceSource } from '../domain/datasource';

/** A saved datasource, named by its organization and id: the worker loads it and its secrets. */
export interface SavedDatasourceTarget {
  saved: { organizationId: string; datasourceId: string };
}

/** Settings not yet saved (the "test connection" button): secrets travel sealed. */
export interface UnsavedDatasourceTarget {
  unsaved: { kind: DatasourceKind; connection: DatasourceConnection; sealedSecrets: string | null; source?: DatasourceSource };
}

export type DatasourceTarget = SavedDatasourceTarget | UnsavedDatasourceTarget;

export interface TableInfo {
  schema: string | null;
  name: string;
  kind: 'table' | 'view';
  columns: SourceColumn[];
}

export interface OpsError {
  code: string;
  message: string;
}

export type OpsResult<T> = { ok: true; value: T } | { ok: false; error: OpsError };

export interface DatasourceOps {
  testConnection(target: DatasourceTarget): Promise<OpsResult<{ serverVersion: string }>>;
  listTables(target: DatasourceTarget): Promise<OpsResult<TableInfo[]>>;
  /** The columns of the datasource's source (its table, or its custom SQL), in order. */
  describeSource(target: SavedDatasourceTarget): Promise<OpsResult<SourceColumn[]>>;
}

export type { FieldType, SourceColumn };
