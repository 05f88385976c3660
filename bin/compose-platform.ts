/**
 * The platform in one process: one metadata database shared by the API and the in-process
 * workers. `npm start` runs this; tests start it on a free port.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { openDatabase, type DatabaseOptions, type DatabaseTarget, type Db } from '../schema/database';
import { SecretBox } from '../schema/secrets';
import { LoginLimiter } from '../api/auth/login-limiter';
import { createApi } from '../api/server/create-api';
import type { Config } from './config';
import { prepareSample, startWorkers } from './compose-workers';

export interface RunningPlatform {
  url: string;
  db: Db;
  close(): Promise<void>;
}

export interface PlatformOverrides {
  /** Use this database instead of the configured one (tests: an in-memory PGlite). */
  database?: DatabaseTarget;
  databaseOptions?: DatabaseOptions;
}

export function databaseTargetOf(config: Config): DatabaseTarget {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

export async function startPlatform(config: Config, overrides: PlatformOverrides = {}): Promise<RunningPlatform> {
  const logger = pino({ level: config.logLevel, base: { service: 'sightline' } });
  const database = await openDatabase(overrides.database ?? databaseTargetOf(config), overrides.databaseOptions);
  const workers = startWorkers(config, database.db);
  const sample = config.sampleDatasource ? await prepareSample(config) : null;
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  redis?.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  const { server } = createApi({
    services: {
      db: database.db,
      secrets: new SecretBox(config.secretKey),
      loginLimiter: new LoginLimiter(redis),
      logger,
      sessionTtlHours: config.sessionTtlHours,
      allowSignUp: config.allowSignUp,
      datasourceOps: workers.datasourceOps,
      sampleDatasource: sample,
    },
    trustProxy: config.trustProxy,
    maxBodyBytes: config.maxBodyBytes,
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return {
    url: `http://${host}:${port}`,
    db: database.db,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await workers.close();
      redis?.disconnect();
      await database.close();
    },
  };
}
