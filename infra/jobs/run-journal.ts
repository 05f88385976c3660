/**
 * Every step of a run goes through here, from the API (create, cancel) and the workers
 * (start, log, finish): the row is the truth, the topic tells live listeners at once.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../schema/database';
import { RUN_LOG_MAX_BYTES, TERMINAL_RUN_STATUSES, type RunKind, type RunParams, type RunStatus, type RunTrigger } from '../../schema/domain/run';
import { queueOfRun, runTopic, type RunEvent, type RunJobPayload } from '../../schema/jobs/run-job';
import { runs } from '../../schema/tables';
import type { PubSub } from '../pubsub/pubsub';
import type { JobQueue } from '../queue';

export type RunRow = typeof runs.$inferSelect;

export interface NewRun {
  organizationId: string;
  kind: RunKind;
  subjectId: string;
  params: RunParams;
  trigger?: RunTrigger;
  requestedBy?: string | null;
}

export interface RunJournal {
  /** Records a queued run and puts it on its queue. */
  start(run: NewRun): Promise<RunRow>;
  get(runId: string): Promise<RunRow | null>;
  /** queued → running; false when the run was cancelled (or taken) meanwhile. */
  markRunning(runId: string): Promise<boolean>;
  log(runId: string, stream: 'stdout' | 'stderr' | 'system', text: string): Promise<void>;
  finish(runId: string, status: RunStatus, outcome: { message?: string | null; rowsWritten?: number | null; outputFileId?: string | null }): Promise<RunRow | null>;
  /** Stops a queued run at once, a running one through its queue's cancel. */
  cancel(runId: string, reason: string): Promise<RunRow | null>;
}

const at = () => new Date().toISOString();

export function createRunJournal(deps: { db: Db; pubsub: PubSub; queue: JobQueue }): RunJournal {
  const { db, pubsub, queue } = deps;
  // Log lines are kept in memory per run while it goes and written once at the end: a chatty
  // script must not turn into a database write per line.
  const logs = new Map<string, { text: string; truncated: boolean; flushedAt: number; flushing: boolean; timer?: NodeJS.Timeout }>();
  // The log so far is written at most every second, so a viewer who opens a running run (or
  // reconnects) starts from what it has printed, not from nothing.
  const FLUSH_EVERY_MS = 1000;
  const flush = (runId: string) => {
    const entry = logs.get(runId);
    if (!entry) return;
    const wait = FLUSH_EVERY_MS - (Date.now() - entry.flushedAt);
    if (entry.flushing || wait > 0) {
      // The last lines before a quiet spell are written too, once the interval has passed.
      entry.timer ??= setTimeout(() => {
        entry.timer = undefined;
        flush(runId);
      }, Math.max(wait, 50));
      entry.timer.unref?.();
      return;
    }
    entry.flushing = true;
    entry.flushedAt = Date.now();
    void db
      .update(runs)
      .set({ log: entry.text })
      .where(and(eq(runs.id, runId), eq(runs.status, 'running')))
      .catch(() => undefined)
      .finally(() => (entry.flushing = false));
  };

  const publish = (event: RunEvent) => pubsub.publish(runTopic(event.runId), JSON.stringify(event));

  async function get(runId: string): Promise<RunRow | null> {
    const [row] = await db.select().from(runs).where(eq(runs.id, runId)).limit(1);
    return row ?? null;
  }

  async function finish(runId: string, status: RunStatus, outcome: { message?: string | null; rowsWritten?: number | null; outputFileId?: string | null }) {
    const kept = logs.get(runId);
    if (kept?.timer) clearTimeout(kept.timer);
    logs.delete(runId);
    const [row] = await db
      .update(runs)
      .set({
        status,
        message: outcome.message ?? null,
        rowsWritten: outcome.rowsWritten ?? null,
        outputFileId: outcome.outputFileId ?? null,
        finishedAt: new Date(),
        ...(kept ? { log: kept.text } : {}),
      })
      .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running'])))
      .returning();
    if (row) await publish({ type: 'status', runId, status, message: row.message, rowsWritten: row.rowsWritten, at: at() });
    return row ?? null;
  }

  return {
    async start(run) {
      const [row] = await db
        .insert(runs)
        .values({ organizationId: run.organizationId, kind: run.kind, subjectId: run.subjectId, params: run.params, trigger: run.trigger ?? 'manual', requestedBy: run.requestedBy ?? null })
        .returning();
      const payload: RunJobPayload = { runId: row!.id };
      await queue.enqueue(queueOfRun(run.kind), { id: row!.id, organizationId: run.organizationId, payload }, { attempts: run.kind === 'report' || run.kind === 'pdf_export' ? 3 : 1 });
      return row!;
    },
    get,
    async markRunning(runId) {
      const [row] = await db
        .update(runs)
        .set({ status: 'running', startedAt: new Date() })
        .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running'])))
        .returning({ id: runs.id });
      if (!row) return false;
      await publish({ type: 'status', runId, status: 'running', message: null, rowsWritten: null, at: at() });
      return true;
    },
    async log(runId, stream, text) {
      const entry = logs.get(runId) ?? { text: '', truncated: false, flushedAt: 0, flushing: false };
      logs.set(runId, entry);
      if (!entry.truncated) {
        const line = `${stream === 'stderr' ? '! ' : stream === 'system' ? '# ' : ''}${text}\n`;
        if (Buffer.byteLength(entry.text) + Buffer.byteLength(line) > RUN_LOG_MAX_BYTES) {
          entry.truncated = true;
          entry.text += '# log truncated: the live stream had the rest\n';
        } else entry.text += line;
      }
      await publish({ type: 'log', runId, stream, text, at: at() });
      flush(runId);
    },
    finish,
    async cancel(runId, reason) {
      const row = await get(runId);
      if (!row || TERMINAL_RUN_STATUSES.includes(row.status)) return row;
      const outcome = await queue.cancel(queueOfRun(row.kind), runId, reason);
      // A queued job is gone from the queue: nobody else will finish its row. A running one
      // is finished by its worker when the signal lands; record it here too in case that
      // worker died (the conditional update keeps the first ending).
      if (outcome !== 'signalled') return (await finish(runId, 'cancelled', { message: reason })) ?? (await get(runId));
      return get(runId);
    },
  };
}
