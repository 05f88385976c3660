/**
 * Reads the environment once, at start-up, into typed configuration. Every variable is listed
 * in the README. A bad value stops the process with a message naming the variable.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loadOrCreateLocalKey, parseSecretKey } from '../schema/secret-key';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  SIGHTLINE_SECRET_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24 * 14),
  ALLOW_SIGNUP: z.enum(['true', 'false']).default('true'),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_000_000),
  SAMPLE_DATASOURCE: z.enum(['true', 'false']).default('true'),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only').default('sightline'),
  MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  QUERY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(8),
  LONG_QUERY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(2),
  ORG_RUNNING_LIMIT: z.coerce.number().int().min(1).max(1000).default(4),
  STATEMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  CANCEL_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
  WORKER_QUEUES: z.string().default('queries,queries-long,datasource-ops,loads,scripts,reports'),
  LOAD_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  SCRIPT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  REPORT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(1),
  DATAFLOW_MAX_ROWS: z.coerce.number().int().min(1).max(50_000_000).default(1_000_000),
  PLATFORM_URL: z.string().url().optional(),
  REST_ALLOWED_HOSTS: z.string().default(''),
  SCRIPTS: z.enum(['docker', 'off']).default('docker'),
  SCRIPT_MEMORY_MB: z.coerce.number().int().min(16).max(65_536).default(256),
  SCRIPT_CPUS: z.coerce.number().min(0.1).max(64).default(1),
  SCRIPT_PIDS: z.coerce.number().int().min(8).max(4096).default(64),
  SCHEDULER: z.enum(['on', 'off']).default('on'),
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.string().optional(),
  SMTP_SECURE: z.string().optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().optional(),
  SMTP_TLS_REJECT_UNAUTHORIZED: z.string().optional(),
  REPORT_MAIL_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  REPORT_MAIL_RETRY_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  UPLOAD_DIR: z.string().optional(),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 ** 3),
  QUEUE_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(5000),
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(1000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  ADMIN_EMAILS: z.string().default(''),
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(10_000).default(100),
  WS_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  WS_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(256 * 1024),
});

export interface Config {
  mode: 'embedded' | 'distributed';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  secretKey: Buffer;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  sessionTtlHours: number;
  allowSignUp: boolean;
  trustProxy: boolean;
  maxBodyBytes: number;
  /** Every new organization gets the sample orders datasource. */
  sampleDatasource: boolean;
  redisPrefix: string;
  maxRows: number;
  queryConcurrency: number;
  longQueryConcurrency: number;
  orgRunningLimit: number;
  statementTimeoutMs: number;
  cancelGraceMs: number;
  loadConcurrency: number;
  scriptConcurrency: number;
  reportConcurrency: number;
  dataflowMaxRows: number;
  /** How workers reach the API (scripts' SDK, the PDF renderer); the local server by default. */
  platformUrl: string | null;
  /** Hosts (names, IPs, CIDR ranges) REST sources may reach although private or loopback. */
  restAllowedHosts: string;
  scripts: { enabled: boolean; memoryBytes: number; nanoCpus: number; pidsLimit: number };
  /** Whether this process fires schedules (tasks, dataflows, REST refreshes, reports). */
  scheduler: boolean;
  /** How often the scheduler looks for due schedules. */
  schedulerIntervalMs: number;
  /** The SMTP_* variables as given (validated when a report is sent), or null without SMTP_HOST. */
  smtp: Record<string, string | undefined> | null;
  reportMail: { attempts: number; retryMs: number };
  /** Uploads are staged here (default `<DATA_DIR>/uploads`) before they are stored. */
  uploads: { dir: string; maxFileBytes: number };
  /** The queues this process works on when it runs workers. */
  workerQueues: string[];
  /** How fast a dead worker's jobs are noticed: its job locks expire after queueLockMs. */
  queueLockMs: number;
  queueStalledIntervalMs: number;
  /** A worker-only process serves /metrics and /health here (the API serves them itself). */
  metricsPort: number | null;
  /** Instance administrators: they see every organization's queues and jobs. */
  adminEmails: string[];
  websocket: { maxSubscriptionsPerSocket: number; connectionInitTimeoutMs: number; maxPayloadBytes: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (common in compose files) means "not set".
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  // The distributed mode shares state through PostgreSQL: a key must be supplied, and strong.
  const mode = e.DATABASE_URL ? 'distributed' : 'embedded';
  let secretKey: Buffer;
  try {
    secretKey = mode === 'distributed' || e.SIGHTLINE_SECRET_KEY ? parseSecretKey(e.SIGHTLINE_SECRET_KEY) : loadOrCreateLocalKey(dataDir);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return {
    mode,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    secretKey,
    logLevel: e.LOG_LEVEL,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    allowSignUp: e.ALLOW_SIGNUP === 'true',
    trustProxy: e.TRUST_PROXY === 'true',
    maxBodyBytes: e.MAX_BODY_BYTES,
    sampleDatasource: e.SAMPLE_DATASOURCE === 'true',
    redisPrefix: e.REDIS_PREFIX,
    maxRows: e.MAX_ROWS,
    queryConcurrency: e.QUERY_CONCURRENCY,
    longQueryConcurrency: e.LONG_QUERY_CONCURRENCY,
    orgRunningLimit: e.ORG_RUNNING_LIMIT,
    statementTimeoutMs: e.STATEMENT_TIMEOUT_SECONDS * 1000,
    cancelGraceMs: e.CANCEL_GRACE_MS,
    loadConcurrency: e.LOAD_CONCURRENCY,
    scriptConcurrency: e.SCRIPT_CONCURRENCY,
    reportConcurrency: e.REPORT_CONCURRENCY,
    dataflowMaxRows: e.DATAFLOW_MAX_ROWS,
    platformUrl: e.PLATFORM_URL ?? null,
    restAllowedHosts: e.REST_ALLOWED_HOSTS,
    scripts: { enabled: e.SCRIPTS === 'docker', memoryBytes: e.SCRIPT_MEMORY_MB * 1024 * 1024, nanoCpus: Math.round(e.SCRIPT_CPUS * 1e9), pidsLimit: e.SCRIPT_PIDS },
    scheduler: e.SCHEDULER === 'on',
    schedulerIntervalMs: e.SCHEDULER_INTERVAL_MS,
    smtp: e.SMTP_HOST
      ? { SMTP_HOST: e.SMTP_HOST, SMTP_PORT: e.SMTP_PORT, SMTP_SECURE: e.SMTP_SECURE, SMTP_USER: e.SMTP_USER, SMTP_PASSWORD: e.SMTP_PASSWORD, SMTP_FROM: e.SMTP_FROM, SMTP_TLS_REJECT_UNAUTHORIZED: e.SMTP_TLS_REJECT_UNAUTHORIZED }
      : null,
    reportMail: { attempts: e.REPORT_MAIL_ATTEMPTS, retryMs: e.REPORT_MAIL_RETRY_MS },
    uploads: { dir: e.UPLOAD_DIR ?? join(dataDir, 'uploads'), maxFileBytes: e.UPLOAD_MAX_BYTES },
    workerQueues: e.WORKER_QUEUES.split(',').map((q) => q.trim()).filter(Boolean),
    queueLockMs: e.QUEUE_LOCK_MS,
    queueStalledIntervalMs: e.QUEUE_STALLED_INTERVAL_MS,
    metricsPort: e.METRICS_PORT ?? null,
    adminEmails: e.ADMIN_EMAILS.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean),
    websocket: {
      maxSubscriptionsPerSocket: e.WS_MAX_SUBSCRIPTIONS,
      connectionInitTimeoutMs: e.WS_INIT_TIMEOUT_MS,
      maxPayloadBytes: e.WS_MAX_MESSAGE_BYTES,
    },
  };
}
