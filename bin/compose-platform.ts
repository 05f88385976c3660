/**
 * Puts a process together from configuration: the metadata database, the shared
 * infrastructure, and the API and/or the workers. `npm start` runs both in one process;
 * `npm run api` and `npm run worker` run one each; tests start any of them on a free port.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { openDatabase, type DatabaseOptions, type DatabaseTarget, type Db } from '../schema/database';
import { SecretBox } from '../schema/secrets';
import { createQueryJobJournal } from '../infra/jobs/query-job-journal';
import { createMetrics, type Metrics } from '../infra/metrics/metrics';
import { QUERY_QUEUES } from '../schema/jobs/query-job-contract';
import { eq, sql } from 'drizzle-orm';
import { datasources } from '../schema/tables';
import { createServer } from 'node:http';
import { useOperations } from '../api/server/plugins/use-operations';
import { DEFAULT_WEBSOCKET_LIMITS } from '../api/server/websocket';
import { LoginLimiter } from '../api/auth/login-limiter';
import { QueryJobService } from '../api/jobs/query-job-service';
import { ContentEvents } from '../api/content/content-events';
import { PrincipalCache } from '../api/auth/principal-cache';
import { DatasourceCache } from '../api/data/datasource-cache';
import { createQueuedDatasourceOps } from '../api/jobs/queued-datasource-ops';
import { createApi } from '../api/server/create-api';
import { createRunJournal } from '../infra/jobs/run-journal';
import { storageFromEnv } from '../infra/storage';
import type { Config } from './config';
import { createInfra } from './compose-infra';
import { prepareSample, startWorkers, type WorkerRuntime } from './compose-workers';

export interface RunningPlatform {
  /** The API's base URL, or null for a worker-only process. */
  url: string | null;
  db: Db;
  close(): Promise<void>;
}

export interface PlatformOptions {
  roles: { api: boolean; workers: boolean };
  /** Use this database instead of the configured one (tests: an in-memory PGlite). */
  database?: DatabaseTarget;
  databaseOptions?: DatabaseOptions;
}

export function databaseTargetOf(config: Config): DatabaseTarget {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

export async function startPlatform(config: Config, options: PlatformOptions): Promise<RunningPlatform> {
  const logger = pino({ level: config.logLevel, base: { service: options.roles.api ? (options.roles.workers ? 'sightline' : 'api') : 'worker' } });
  const database = await openDatabase(options.database ?? databaseTargetOf(config), options.databaseOptions);
  const infra = await createInfra(config, logger);
  const metrics: Metrics = createMetrics(async (set) => {
    for (const queue of QUERY_QUEUES) {
      const counts = await infra.queue.counts(queue);
      set(queue, 'waiting', counts.waiting);
      set(queue, 'running', counts.running);
    }
  });
  let draining = false;
  const readiness = async () => ({
    database: await database.db.execute(sql`select 1`).then(() => true, () => false),
    redis: infra.redis ? await infra.redis.ping().then(() => true, () => false) : true,
  });
  const storage = storageFromEnv({ ...process.env, DATA_DIR: config.dataDir });
  const runs = createRunJournal({ db: database.db, pubsub: infra.pubsub, queue: infra.queue });
  let url: string | null = null;
  const workers: WorkerRuntime | null = options.roles.workers
    ? startWorkers(config, database, infra, logger, { storage, runs, platformUrl: () => config.platformUrl ?? url }, metrics)
    : null;

  let stopApi = async () => {};
  if (options.roles.api) {
    const sample = config.sampleDatasource ? await prepareSample(config) : null;
    const journal = createQueryJobJournal({ db: database.db, kv: infra.kv, pubsub: infra.pubsub });
    const queryJobs = new QueryJobService({
      journal,
      kv: infra.kv,
      pubsub: infra.pubsub,
      queue: infra.queue,
      logger,
      options: { maxRows: config.maxRows, cancelGraceMs: config.cancelGraceMs, watchdogMs: 5000, attempts: 2 },
      metrics,
      dataVersionOf: async (id) => {
        const [row] = await database.db.select({ dataVersion: datasources.dataVersion }).from(datasources).where(eq(datasources.id, id)).limit(1);
        return row?.dataVersion ?? null;
      },
    });
    const { server, websocket } = createApi({
      services: {
        db: database.db,
        secrets: new SecretBox(config.secretKey),
        loginLimiter: new LoginLimiter(infra.redis, undefined, config.redisPrefix),
        logger,
        sessionTtlHours: config.sessionTtlHours,
        allowSignUp: config.allowSignUp,
        datasourceOps: workers?.datasourceOps ?? createQueuedDatasourceOps({ queue: infra.queue, pubsub: infra.pubsub, timeoutMs: 30_000 }),
        sampleDatasource: sample,
        queryJobs,
        content: new ContentEvents(infra.pubsub),
        queue: infra.queue,
        principals: await PrincipalCache.start(database.db, infra.pubsub),
        datasourceCache: await DatasourceCache.start(database.db, infra.pubsub),
        adminEmails: new Set(config.adminEmails),
        pubsub: infra.pubsub,
        runs,
        storage,
      },
      trustProxy: config.trustProxy,
      maxBodyBytes: config.maxBodyBytes,
      uploads: config.uploads,
      plugins: [useOperations({ registry: metrics.registry, readiness, draining: () => draining })],
      websocketLimits: { ...DEFAULT_WEBSOCKET_LIMITS, ...config.websocket },
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolveListen());
    });
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    url = `http://${host}:${port}`;
    stopApi = async () => {
      draining = true;
      await websocket.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    };
  }

  // A worker-only process has no API server: it serves its metrics and health on their own port.
  let stopMetrics = async () => {};
  if (!options.roles.api && config.metricsPort !== null) {
    const server = createServer((req, res) => {
      if (req.url === '/metrics') {
        void metrics.registry.metrics().then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text));
      } else if (req.url === '/health' || req.url === '/ready') {
        void readiness().then((checks) => {
          const ok = !draining && Object.values(checks).every(Boolean);
          res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: ok, checks }));
        });
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(config.metricsPort!, config.host, () => r()));
    stopMetrics = () => new Promise<void>((r) => server.close(() => r()));
  }

  return {
    url,
    db: database.db,
    close: async () => {
      draining = true;
      await stopApi();
      await stopMetrics();
      await workers?.close();
      await infra.close();
      await database.close();
    },
  };
}
