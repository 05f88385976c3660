/**
 * Builds a running API from configuration: the database, the secret box, the login limiter,
 * the logger. Shared by the embedded entry point, the API-only entry point and the tests.
 */
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { openDatabase, type DatabaseOptions, type DatabaseTarget, type Db } from '../schema/database';
import { SecretBox } from '../schema/secrets';
import { LoginLimiter } from '../api/auth/login-limiter';
import { createApi } from '../api/server/create-api';
import type { Config } from './config';

export interface RunningApi {
  url: string;
  db: Db;
  close(): Promise<void>;
}

export function databaseTargetOf(config: Config): DatabaseTarget {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

/** `database` overrides the configured one (tests use an in-memory PGlite). */
export async function startApi(config: Config, database?: DatabaseTarget, databaseOptions?: DatabaseOptions): Promise<RunningApi> {
  const logger = pino({ level: config.logLevel, base: { service: 'api' } });
  const db = await openDatabase(database ?? databaseTargetOf(config), databaseOptions);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const { server } = createApi({
    services: {
      db: db.db,
      secrets: new SecretBox(config.secretKey),
      loginLimiter: new LoginLimiter(redis),
      logger,
      sessionTtlHours: config.sessionTtlHours,
      allowSignUp: config.allowSignUp,
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
    db: db.db,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      redis?.disconnect();
      await db.close();
    },
  };
}
