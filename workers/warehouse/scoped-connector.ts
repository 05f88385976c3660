/**
 * A warehouse datasource sees its organization's schema and nothing else: listings come from
 * that schema only, and free SQL (which could name any schema) is refused. Queries compiled
 * from JSON name the schema the server stored on the datasource, never one a user typed.
 */
import { warehouseSchemaOf } from '../../schema/domain/warehouse';
import { ConnectorError } from '../connectors';
import type { Connector, Introspection } from '../connectors/types';
import { postgresFieldType } from '../connectors/postgres/postgres-types';
import { SQL_TYPES } from './identifiers';
import type { WarehouseTable } from './warehouse';

export function scopedConnector(base: Connector, organizationId: string, listTables: (organizationId: string) => Promise<WarehouseTable[]>): Connector {
  const schema = warehouseSchemaOf(organizationId);
  return {
    kind: base.kind,
    testConnection: () => base.testConnection(),
    async introspect(): Promise<Introspection> {
      const tables = await listTables(organizationId);
      return {
        tables: tables.map((t) => ({
          schema,
          name: t.name,
          kind: 'table' as const,
          columns: t.columns.map((c) => ({ name: c.name, nativeType: SQL_TYPES[c.type], type: postgresFieldType(SQL_TYPES[c.type]) })),
        })),
      };
    },
    describeQuery: () => Promise.reject(new ConnectorError('QUERY_FAILED', 'free SQL is not available on warehouse datasources: query a table')),
    execute: (sql, params, options) => base.execute(sql, params, options),
    // The base connector is shared by every organization; the warehouse closes it.
    close: async () => undefined,
  };
}
