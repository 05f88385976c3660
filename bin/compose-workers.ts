/**
 * The worker side of a process: connector pools and the processors of the job queues. Used
 * in-process by `npm start` and by `npm run worker`.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Database } from '../schema/database';
import { RUN_QUEUES, type RunJobPayload } from '../schema/jobs/run-job';
import type { RunJournal } from '../infra/jobs/run-journal';
import type { FileStorage } from '../infra/storage';
import { createWarehouse } from '../workers/warehouse';
import { createRunProcessor } from '../workers/runs/run-processor';
import { runHandlers } from './compose-runs';
import { startScheduler } from '../workers/scheduler/scheduler';
import { closeSharedBrowserPool } from '../workers/reports';
import { SecretBox } from '../schema/secrets';
import type { DatasourceOps } from '../schema/jobs/datasource-ops';
import { DATASOURCE_OPS_QUEUE, type DatasourceOpsPayload } from '../schema/jobs/datasource-ops-job';
import { QUERY_QUEUES, type QueryJobPayload } from '../schema/jobs/query-job-contract';
import { createQueryJobJournal } from '../infra/jobs/query-job-journal';
import type { Consumer } from '../infra/queue';
import type { Metrics } from '../infra/metrics/metrics';
import { ConnectorRegistry } from '../workers/connectors';
import { createDatasourceOps } from '../workers/datasource-ops/create-datasource-ops';
import { createDatasourceOpsProcessor } from '../workers/datasource-ops/serve-datasource-ops';
import { SourceResolver } from '../workers/datasource-ops/source-resolver';
import { createOnExhausted } from '../workers/query-runner/on-exhausted';
import { createQueryRunner } from '../workers/query-runner/run-query-job';
import { ensureSampleDatabase, SAMPLE_FILE_NAME, SAMPLE_FORMULAS, SAMPLE_TABLE } from '../workers/sample';
import type { SampleDatasource } from '../api/graphql/context';
import type { Config } from './config';
import type { Infra } from './compose-infra';

export interface WorkerRuntime {
  datasourceOps: DatasourceOps;
  /** Stops taking jobs, lets running ones end, closes the pools. */
  close(): Promise<void>;
}

/** SQLite datasource files (and the sample) live here; connectors never open files elsewhere. */
export const sqliteRootOf = (config: Config) => join(config.dataDir, 'sqlite');

export interface WorkerExtras {
  storage: FileStorage;
  runs: RunJournal;
  /** Where this platform's API answers (for scripts and the PDF renderer); null until it listens. */
  platformUrl: () => string | null;
}

export function startWorkers(config: Config, database: Database, infra: Infra, logger: Logger, extras: WorkerExtras, metrics?: Metrics): WorkerRuntime {
  const db = database.db;
  const registry = new ConnectorRegistry({ sqliteRoot: sqliteRootOf(config) });
  const secrets = new SecretBox(config.secretKey);
  const warehouse = createWarehouse(database.raw);
  const sources = new SourceResolver({ db, secrets, registry, warehouse });
  const datasourceOps = createDatasourceOps({ secrets, registry, sources });
  const journal = createQueryJobJournal({ db, kv: infra.kv, pubsub: infra.pubsub });
  const runQuery = createQueryRunner({ journal, kv: infra.kv, sources, statementTimeoutMs: config.statementTimeoutMs, metrics });
  const onExhausted = createOnExhausted(journal);
  const consumers: Consumer[] = [];

  for (const queue of config.workerQueues) {
    if ((QUERY_QUEUES as readonly string[]).includes(queue)) {
      consumers.push(
        infra.queue.process<QueryJobPayload>(queue, (job, signal) => runQuery(job.payload, signal), {
          concurrency: queue === 'queries' ? config.queryConcurrency : config.longQueryConcurrency,
          perOrganizationLimit: config.orgRunningLimit,
          onExhausted: (job, reason) => onExhausted(job.payload as QueryJobPayload, reason),
        }),
      );
    } else if (queue === DATASOURCE_OPS_QUEUE) {
      const serve = createDatasourceOpsProcessor(datasourceOps, infra.pubsub);
      consumers.push(
        infra.queue.process<DatasourceOpsPayload>(queue, (job) => serve(job.payload), { concurrency: 4, perOrganizationLimit: 2 }),
      );
    } else if ((Object.values(RUN_QUEUES) as string[]).includes(queue)) {
      const processor = createRunProcessor({
        journal: extras.runs,
        handlers: runHandlers({ config, db, infra, sources, warehouse, storage: extras.storage, secrets, platformUrl: extras.platformUrl, logger, runs: extras.runs }),
        onError: (err, runId) => logger.warn({ err, runId }, 'run failed'),
      });
      consumers.push(
        infra.queue.process<RunJobPayload>(queue, processor, {
          concurrency: queue === RUN_QUEUES.loads ? config.loadConcurrency : queue === RUN_QUEUES.scripts ? config.scriptConcurrency : config.reportConcurrency,
          perOrganizationLimit: Math.max(1, Math.min(config.orgRunningLimit, 2)),
          onExhausted: async (job, reason) => {
            await extras.runs.finish((job.payload as RunJobPayload).runId, 'failed', { message: `the run could not complete: ${reason}` });
          },
        }),
      );
    } else {
      throw new Error(`WORKER_QUEUES names an unknown queue "${queue}"`);
    }
  }
  const scheduler = config.scheduler ? startScheduler({ db, runs: extras.runs, intervalMs: config.schedulerIntervalMs, onError: (err) => logger.warn({ err }, 'scheduler pass failed') }) : null;
  logger.info({ queues: config.workerQueues, scheduler: config.scheduler }, 'workers started');

  return {
    datasourceOps,
    close: async () => {
      await scheduler?.stop();
      await Promise.all(consumers.map((c) => c.close()));
      await registry.closeAll();
      await warehouse.close();
      await closeSharedBrowserPool();
    },
  };
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
