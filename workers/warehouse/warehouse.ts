/**
 * The platform's own store for loaded data. One PostgreSQL schema per organization keeps
 * tenants apart by construction: a warehouse datasource can only name tables of its schema.
 */
import type { WarehouseColumn, WarehouseValue, LoadMode } from '../../schema/domain/warehouse';
import type { RawDatabase } from '../../schema/database';
import type { Connector } from '../connectors';

export interface LoadRequest {
  organizationId: string;
  table: string;
  columns: WarehouseColumn[];
  /** Batches of rows in `columns` order; pulled as the writer is ready (back-pressure). */
  rows: AsyncIterable<WarehouseValue[][]>;
  mode: LoadMode;
  signal?: AbortSignal;
  /** Told after each batch is written. */
  onProgress?: (rowsWritten: number) => void;
}

export interface LoadResult {
  rowsWritten: number;
  /** The table's columns after the load (for an append: the existing ones). */
  columns: WarehouseColumn[];
}

export interface WarehouseTable {
  name: string;
  columns: WarehouseColumn[];
}

export interface Warehouse {
  /**
   * Writes a table atomically: replace swaps a fully written new table in, append adds
   * inside one transaction. On any failure (bad value, cancel, lost connection) the table is
   * as it was before.
   */
  load(request: LoadRequest): Promise<LoadResult>;
  listTables(organizationId: string): Promise<WarehouseTable[]>;
  dropTable(organizationId: string, table: string): Promise<void>;
  /** The connector a warehouse datasource of this organization queries through. */
  connectorFor(organizationId: string): Connector;
  close(): Promise<void>;
}

export type { RawDatabase };
