/**
 * A user script run: a token for this run only (the organization, the author's role at most,
 * expiring with the time limit and deleted at the end), the code run in a sandbox container,
 * every line it prints sent to the run's live log.
 */
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../schema/database';
import { AUTH_CHANGED_TOPIC } from '../../../schema/jobs/run-job';
import { hashToken } from '../../../schema/secrets';
import { apiTokens, memberships, tasks } from '../../../schema/tables';
import type { PubSub } from '../../../infra/pubsub/pubsub';
import { runScript, type ScriptLimits } from '../../scripts';
import { RunFailure, type RunHandler } from '../run-handler';

export interface ScriptDeps {
  db: Db;
  pubsub: PubSub;
  /** Null when scripts are turned off or no engine is reachable: runs fail saying so. */
  docker: Dockerode | null;
  platformUrl: () => string | null;
  limits: Omit<ScriptLimits, 'timeoutMs'>;
}

export function scriptHandler(deps: ScriptDeps): RunHandler {
  return async ({ run, signal, log }) => {
    if (!deps.docker) throw new RunFailure('scripts are not available on this server: it has no Docker engine (SCRIPTS=off)');
    const [task] = await deps.db.select().from(tasks).where(and(eq(tasks.organizationId, run.organizationId), eq(tasks.id, run.subjectId))).limit(1);
    if (!task) throw new RunFailure('the task was deleted');
    const author = task.createdBy;
    if (!author) throw new RunFailure("the task's author is no longer a member: save the task again to take it over");
    const [member] = await deps.db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.organizationId, run.organizationId), eq(memberships.userId, author))).limit(1);
    if (!member) throw new RunFailure("the task's author is no longer a member of the organization");
    const base = deps.platformUrl();
    if (!base) throw new RunFailure('the API address is not known yet (PLATFORM_URL)');
    const api = new URL(base);

    const token = `slt_${randomBytes(32).toString('base64url')}`;
    const timeoutMs = task.timeoutSeconds * 1000;
    const [row] = await deps.db
      .insert(apiTokens)
      .values({
        organizationId: run.organizationId,
        userId: author,
        name: `run ${run.id} of ${task.name}`.slice(0, 200),
        role: member.role === 'owner' ? 'editor' : member.role,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 8),
        expiresAt: new Date(Date.now() + timeoutMs + 60_000),
      })
      .returning({ id: apiTokens.id });
    try {
      log(`running ${task.name} (${task.runtime}), time limit ${task.timeoutSeconds} s`);
      const outcome = await runScript(
        deps.docker,
        {
          code: task.code,
          runtime: task.runtime,
          apiTarget: { host: api.hostname.replace(/^\[|\]$/g, ''), port: Number(api.port || (api.protocol === 'https:' ? 443 : 80)) },
          token,
          env: { SIGHTLINE_TASK_ID: task.id, SIGHTLINE_RUN_ID: run.id },
          limits: { ...deps.limits, timeoutMs },
        },
        { signal, onLog: (line) => log(line.text, line.stream) },
      );
      if (outcome.logTruncated) log('output beyond the log limit was dropped');
      return { status: outcome.status === 'succeeded' ? 'succeeded' : outcome.status === 'cancelled' ? 'cancelled' : 'failed', message: outcome.message };
    } finally {
      await deps.db.delete(apiTokens).where(eq(apiTokens.id, row!.id));
      await deps.pubsub.publish(AUTH_CHANGED_TOPIC, run.organizationId).catch(() => undefined);
    }
  };
}
