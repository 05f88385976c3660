/** The handler of each kind of run, put together from configuration. */
import type { Logger } from 'pino';
import type { RunKind } from '../schema/domain/run';
import type { Db } from '../schema/database';
import type { SecretBox } from '../schema/secrets';
import type { FileStorage } from '../infra/storage';
import type { SourceResolver } from '../workers/datasource-ops/source-resolver';
import type { RunHandler } from '../workers/runs/run-handler';
import { dataflowHandler } from '../workers/runs/handlers/dataflow';
import { fileLoadHandler } from '../workers/runs/handlers/file-load';
import { tableWriteHandler } from '../workers/runs/handlers/table-write';
import { restRefreshHandler } from '../workers/runs/handlers/rest-refresh';
import { parseAllowedHostsEnv } from '../workers/rest';
import { scriptHandler } from '../workers/runs/handlers/script';
import { removeStaleScriptContainers } from '../workers/scripts';
import Dockerode from 'dockerode';
import { reportHandler } from '../workers/runs/handlers/report';
import { createMailer, mailSettingsFromEnv, type Mailer, type MailSettingsInput } from '../workers/reports/mail';
import { eq } from 'drizzle-orm';
import { organizations } from '../schema/tables';
import type { Warehouse } from '../workers/warehouse';
import type { Config } from './config';
import type { RunJournal } from '../infra/jobs/run-journal';
import type { Infra } from './compose-infra';

export interface RunHandlerDeps {
  config: Config;
  db: Db;
  infra: Infra;
  sources: SourceResolver;
  warehouse: Warehouse;
  storage: FileStorage;
  secrets: SecretBox;
  platformUrl: () => string | null;
  logger: Logger;
  runs: RunJournal;
}

export function runHandlers(deps: RunHandlerDeps): Partial<Record<RunKind, RunHandler>> {
  const { config, db, infra, sources, warehouse } = deps;
  let mailer: Mailer | null | undefined;
  const reports = reportHandler({
    db,
    storage: deps.storage,
    platformUrl: deps.platformUrl,
    // Built on first use: a bad SMTP setting fails the reports that need it, not the worker.
    mailer: async (organizationId) => {
      const [org] = await db.select({ mailSettings: organizations.mailSettings }).from(organizations).where(eq(organizations.id, organizationId));
      if (org?.mailSettings) return createMailer(deps.secrets.open(org.mailSettings) as MailSettingsInput);
      return (mailer ??= config.smtp ? createMailer(mailSettingsFromEnv(config.smtp)) : null);
    },
    mailAttempts: config.reportMail.attempts,
    mailRetryMs: config.reportMail.retryMs,
  });
  const docker = config.scripts.enabled ? new Dockerode() : null;
  // Containers of runs whose worker died: gone once no run could still be using them.
  if (docker) void removeStaleScriptContainers(docker, { olderThanMs: 6 * 3600_000 + 5 * 60_000 }).catch(() => undefined);
  return {
    dataflow: dataflowHandler({ db, pubsub: infra.pubsub, sources, warehouse, statementTimeoutMs: config.statementTimeoutMs, maxRows: config.dataflowMaxRows, runs: deps.runs }),
    file_load: fileLoadHandler({ db, pubsub: infra.pubsub, storage: deps.storage, warehouse }),
    table_write: tableWriteHandler({ db, pubsub: infra.pubsub, storage: deps.storage, warehouse }),
    script: scriptHandler({
      db,
      pubsub: infra.pubsub,
      docker,
      platformUrl: deps.platformUrl,
      limits: { memoryBytes: config.scripts.memoryBytes, nanoCpus: config.scripts.nanoCpus, pidsLimit: config.scripts.pidsLimit, logBytes: 1024 * 1024 },
    }),
    report: reports,
    pdf_export: reports,
    rest_refresh: restRefreshHandler({ db, pubsub: infra.pubsub, secrets: deps.secrets, warehouse, allowedHosts: parseAllowedHostsEnv(config.restAllowedHosts), timeoutMs: config.statementTimeoutMs }),
  };
}
