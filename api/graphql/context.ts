import type { Logger } from 'pino';
import type { Db } from '../../schema/database';
import type { SecretBox } from '../../schema/secrets';
import type { DatasourceOps } from '../../schema/jobs/datasource-ops';
import type { QueryJobService } from '../jobs/query-job-service';
import type { ContentEvents } from '../content/content-events';
import type { JobQueue } from '../../infra/queue';
import type { PrincipalCache } from '../auth/principal-cache';
import type { DatasourceCache } from '../data/datasource-cache';
import type { DatasourceConnection, DatasourceKind, DatasourceSource } from '../../schema/domain/datasource';
import type { FormulaDef } from '../../query/types';
import type { Principal } from '../auth/principal';
import type { LoginLimiter } from '../auth/login-limiter';
import type { PubSub } from '../../infra/pubsub/pubsub';
import type { RunJournal } from '../../infra/jobs/run-journal';
import type { FileStorage } from '../../infra/storage';

/** The datasource every new organization starts with, so a first dashboard takes a minute. */
export interface SampleDatasource {
  name: string;
  kind: DatasourceKind;
  connection: DatasourceConnection;
  source: DatasourceSource;
  formulas: FormulaDef[];
}

/** What the API is built from: injected by the entry point, never read from the environment here. */
export interface ApiServices {
  db: Db;
  secrets: SecretBox;
  loginLimiter: LoginLimiter;
  logger: Logger;
  sessionTtlHours: number;
  allowSignUp: boolean;
  /** Database work on datasources, done by the workers (in-process or over the queue). */
  datasourceOps: DatasourceOps;
  sampleDatasource: SampleDatasource | null;
  queryJobs: QueryJobService;
  content: ContentEvents;
  /** The job queue, read by the operations view. */
  queue: JobQueue;
  /** People (by email) who administer the whole instance. */
  adminEmails: ReadonlySet<string>;
  /** Bearer tokens to principals, briefly cached and dropped on every change. */
  principals: PrincipalCache;
  /** Datasource rows for the query path, briefly cached and dropped on every change. */
  datasourceCache: DatasourceCache;
  pubsub: PubSub;
  /** Loads, dataflows, scripts and reports: created and cancelled here, run by the workers. */
  runs: RunJournal;
  /** Uploaded files and exported PDFs. */
  storage: FileStorage;
}

export interface Context {
  services: ApiServices;
  db: Db;
  principal: Principal | null;
  /** Why there is no principal: no token, or one that matches nothing (expired, revoked). */
  authFailure: 'missing' | 'invalid' | null;
  /** The raw bearer token, to re-check a long-lived subscription's credential (never logged). */
  bearerToken: string | null;
  clientAddress: string;
}

/** The principal, for resolvers already behind an auth scope. */
export function principalOf(ctx: Context): Principal {
  if (!ctx.principal) throw new Error('resolver reached without a principal');
  return ctx.principal;
}
