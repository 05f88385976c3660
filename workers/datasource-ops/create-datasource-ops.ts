import type { SecretBox } from '../../schema/secrets';
import type { DatasourceOps, DatasourceTarget, OpsResult } from '../../schema/jobs/datasource-ops';
import { isConnectorError, type Connector, type ConnectorRegistry } from '../connectors';
import { connectionSettingsOf } from './connection-settings';
import { openSecrets, type SourceResolver } from './source-resolver';

export interface DatasourceOpsDeps {
  secrets: SecretBox;
  registry: ConnectorRegistry;
  sources: SourceResolver;
}

/** Failures become data: a connection problem is an answer for the user, not a crash. */
async function attempt<T>(work: () => Promise<T>): Promise<OpsResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    if (isConnectorError(err)) return { ok: false, error: { code: err.code, message: err.message } };
    throw err;
  }
}

/** The worker-side implementation of the datasource operations contract. */
export function createDatasourceOps({ secrets, registry, sources }: DatasourceOpsDeps): DatasourceOps {
  async function withConnector<T>(target: DatasourceTarget, work: (c: Connector) => Promise<T>): Promise<OpsResult<T>> {
    return attempt(async () => {
      if ('saved' in target) {
        const row = await sources.load(target.saved.organizationId, target.saved.datasourceId);
        return work(sources.connectorOf(row));
      }
      const { kind, connection, sealedSecrets } = target.unsaved;
      const settings = connectionSettingsOf(kind, connection, openSecrets(secrets, sealedSecrets));
      // Unsaved settings get a connector of their own, closed right after: nothing is pooled.
      const id = `unsaved:${Math.random().toString(36).slice(2)}`;
      try {
        return await work(registry.get(id, settings));
      } finally {
        await registry.evict(id);
      }
    });
  }

  return {
    testConnection: (target) => withConnector(target, async (c) => ({ serverVersion: (await c.testConnection()).serverVersion })),
    listTables: (target) => withConnector(target, async (c) => (await c.introspect()).tables),
    describeSource: (target) =>
      attempt(async () => (await sources.resolve(target.saved.organizationId, target.saved.datasourceId)).columns()),
  };
}
