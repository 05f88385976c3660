import { and, eq } from 'drizzle-orm';
import type { Db } from '../../schema/database';
import type { SecretBox } from '../../schema/secrets';
import { datasources } from '../../schema/tables';
import { datasourceSecretsSchema, type DatasourceSecrets } from '../../schema/domain/datasource';
import type { DatasourceOps, DatasourceTarget, OpsResult, SavedDatasourceTarget } from '../../schema/jobs/datasource-ops';
import { ConnectorError, isConnectorError, type Connector, type ConnectorRegistry } from '../connectors';
import { connectionSettingsOf } from './connection-settings';

export interface DatasourceOpsDeps {
  db: Db;
  secrets: SecretBox;
  registry: ConnectorRegistry;
}

type DatasourceRow = typeof datasources.$inferSelect;

/** Failures become data: a connection problem is an answer for the user, not a crash. */
async function attempt<T>(work: () => Promise<T>): Promise<OpsResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    if (isConnectorError(err)) return { ok: false, error: { code: err.code, message: err.message } };
    throw err;
  }
}

export function openSecrets(secrets: SecretBox, sealed: string | null): DatasourceSecrets {
  return sealed ? datasourceSecretsSchema.parse(secrets.open(sealed)) : {};
}

/** The worker-side implementation of the datasource operations contract. */
export function createDatasourceOps({ db, secrets, registry }: DatasourceOpsDeps): DatasourceOps {
  async function loadRow(target: SavedDatasourceTarget): Promise<DatasourceRow> {
    const { organizationId, datasourceId } = target.saved;
    const [row] = await db
      .select()
      .from(datasources)
      .where(and(eq(datasources.organizationId, organizationId), eq(datasources.id, datasourceId)))
      .limit(1);
    if (!row) throw new ConnectorError('INVALID_SETTINGS', 'datasource not found');
    return row;
  }

  async function connectorFor(target: DatasourceTarget): Promise<{ connector: Connector; dispose: () => Promise<void> }> {
    if ('saved' in target) {
      const row = await loadRow(target);
      const settings = connectionSettingsOf(row.kind, row.connection, openSecrets(secrets, row.secrets));
      return { connector: registry.get(row.id, settings), dispose: async () => {} };
    }
    const { kind, connection, sealedSecrets } = target.unsaved;
    const settings = connectionSettingsOf(kind, connection, openSecrets(secrets, sealedSecrets));
    // Unsaved settings get a connector of their own, closed right after: nothing is pooled.
    const id = `unsaved:${Math.random().toString(36).slice(2)}`;
    return { connector: registry.get(id, settings), dispose: () => registry.evict(id) };
  }

  async function withConnector<T>(target: DatasourceTarget, work: (c: Connector) => Promise<T>): Promise<OpsResult<T>> {
    return attempt(async () => {
      const { connector, dispose } = await connectorFor(target);
      try {
        return await work(connector);
      } finally {
        await dispose();
      }
    });
  }

  return {
    testConnection: (target) => withConnector(target, (c) => c.testConnection()).then((r) => (r.ok ? { ok: true, value: { serverVersion: r.value.serverVersion } } : r)),
    listTables: (target) => withConnector(target, async (c) => (await c.introspect()).tables),
    describeSource: (target) =>
      attempt(async () => {
        const row = await loadRow(target);
        const connector = (await connectorFor(target)).connector;
        if (row.source.kind === 'sql') return connector.describeQuery(row.source.sql);
        const { schema, table } = row.source;
        const found = (await connector.introspect()).tables.find((t) => t.name === table && (schema === undefined || t.schema === schema));
        if (!found) throw new ConnectorError('QUERY_FAILED', `table ${schema ? `${schema}.` : ''}${table} does not exist (any more)`);
        return found.columns;
      }),
  };
}
