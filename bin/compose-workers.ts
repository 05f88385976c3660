/**
 * The worker side of one process: connector pools and the implementations of the job
 * contracts. Used in-process by `npm start`, and by the worker entry point.
 */
import { join } from 'node:path';
import type { Db } from '../schema/database';
import { SecretBox } from '../schema/secrets';
import type { DatasourceOps } from '../schema/jobs/datasource-ops';
import { ConnectorRegistry } from '../workers/connectors';
import { createDatasourceOps } from '../workers/datasource-ops/create-datasource-ops';
import { ensureSampleDatabase, SAMPLE_FILE_NAME, SAMPLE_FORMULAS, SAMPLE_TABLE } from '../workers/sample';
import type { Config } from './config';
import type { SampleDatasource } from '../api/graphql/context';

export interface WorkerRuntime {
  registry: ConnectorRegistry;
  datasourceOps: DatasourceOps;
  close(): Promise<void>;
}

/** SQLite datasource files (and the sample) live here; connectors never open files elsewhere. */
export const sqliteRootOf = (config: Config) => join(config.dataDir, 'sqlite');

export function startWorkers(config: Config, db: Db): WorkerRuntime {
  const registry = new ConnectorRegistry({ sqliteRoot: sqliteRootOf(config) });
  const datasourceOps = createDatasourceOps({ db, secrets: new SecretBox(config.secretKey), registry });
  return { registry, datasourceOps, close: () => registry.closeAll() };
}

/** Makes sure the sample SQLite file exists and describes the datasource every new organization gets. */
export async function prepareSample(config: Config): Promise<SampleDatasource> {
  await ensureSampleDatabase(sqliteRootOf(config));
  return {
    name: 'Sample: orders',
    kind: 'sqlite',
    connection: { file: SAMPLE_FILE_NAME },
    source: { kind: 'table', table: SAMPLE_TABLE },
    formulas: [...SAMPLE_FORMULAS],
  };
}
