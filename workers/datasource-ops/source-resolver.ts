/**
 * From a datasource id to what running a query on it needs: the row, a pooled connector with
 * the opened secrets, and the source's columns. Columns are introspected once per datasource
 * version and kept for a few minutes, so a dashboard of twenty widgets introspects once.
 */
import { and, eq, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { SourceColumn } from '../../query/types';
import type { Db } from '../../schema/database';
import type { SecretBox } from '../../schema/secrets';
import { datasourceSecretsSchema, isWarehouseKind, type DatasourceSecrets } from '../../schema/domain/datasource';
import type { Warehouse } from '../warehouse';
import { datasources } from '../../schema/tables';
import { ConnectorError, type Connector, type ConnectorRegistry } from '../connectors';
import { connectionSettingsOf } from './connection-settings';

export type DatasourceRow = typeof datasources.$inferSelect;

export interface ResolvedSource {
  row: DatasourceRow;
  connector: Connector;
  columns(): Promise<SourceColumn[]>;
}

export function openSecrets(secrets: SecretBox, sealed: string | null): DatasourceSecrets {
  return sealed ? datasourceSecretsSchema.parse(secrets.open(sealed)) : {};
}

export class SourceResolver {
  readonly #columns = new LRUCache<string, Promise<SourceColumn[]>>({ max: 1000, ttl: 5 * 60_000 });

  constructor(private readonly deps: { db: Db; secrets: SecretBox; registry: ConnectorRegistry; warehouse?: Warehouse }) {}

  // Prepared once: every query job reads its datasource row, and building the statement anew
  // cost more CPU than running it.
  #rowStatement: ReturnType<SourceResolver['prepareRowStatement']> | null = null;

  private prepareRowStatement() {
    return this.deps.db
      .select()
      .from(datasources)
      .where(and(eq(datasources.organizationId, sql.placeholder('organizationId')), eq(datasources.id, sql.placeholder('id'))))
      .limit(1)
      .prepare('sightline_source_row');
  }

  async load(organizationId: string, datasourceId: string): Promise<DatasourceRow> {
    this.#rowStatement ??= this.prepareRowStatement();
    const [row] = await this.#rowStatement.execute({ organizationId, id: datasourceId });
    if (!row) throw new ConnectorError('INVALID_SETTINGS', 'datasource not found (it may have been deleted)');
    return row;
  }

  connectorOf(row: DatasourceRow): Connector {
    if (isWarehouseKind(row.kind)) {
      if (!this.deps.warehouse) throw new ConnectorError('INVALID_SETTINGS', 'this worker has no warehouse');
      return this.deps.warehouse.connectorFor(row.organizationId);
    }
    const settings = connectionSettingsOf(row.kind, row.connection, openSecrets(this.deps.secrets, row.secrets));
    return this.deps.registry.get(row.id, settings);
  }

  async resolve(organizationId: string, datasourceId: string): Promise<ResolvedSource> {
    const row = await this.load(organizationId, datasourceId);
    const connector = this.connectorOf(row);
    // Any change to the datasource (settings, source, formulas, data) changes one of these.
    const key = `${row.id}:${row.dataVersion}:${row.updatedAt.getTime()}`;
    return {
      row,
      connector,
      columns: () => {
        let pending = this.#columns.get(key);
        if (!pending) {
          pending = describe(connector, row);
          pending.catch(() => this.#columns.delete(key));
          this.#columns.set(key, pending);
        }
        return pending;
      },
    };
  }
}

async function describe(connector: Connector, row: DatasourceRow): Promise<SourceColumn[]> {
  if (row.source.kind === 'sql') return connector.describeQuery(row.source.sql);
  const { schema, table } = row.source;
  const found = (await connector.introspect()).tables.find((t) => t.name === table && (schema === undefined || t.schema === schema));
  if (!found) throw new ConnectorError('QUERY_FAILED', `table ${schema ? `${schema}.` : ''}${table} does not exist (any more)`);
  return found.columns;
}
