/**
 * Runs: the history of loads, dataflows, scripts and reports, with a live stream of each run's
 * states and log lines.
 */
import { and, desc, eq, lt } from 'drizzle-orm';
import { RUN_KINDS, RUN_STATUSES, RUN_TRIGGERS, TERMINAL_RUN_STATUSES, type RunKind, type RunStatus, type RunTrigger } from '../../../schema/domain/run';
import { runTopic, type RunEvent } from '../../../schema/jobs/run-job';
import { runs } from '../../../schema/tables';
import type { RunRow } from '../../../infra/jobs/run-journal';
import { AsyncInbox } from '../../jobs/async-inbox';
import { closable } from '../../jobs/closable-iterator';
import { builder } from '../builder';
import { upperCaseEnum } from '../enums';
import { principalOf, type Context } from '../context';
import { apiError, notFound } from '../errors';
import { decodeGlobalId, encodeGlobalId, expectId } from '../ids';

export const RunKindEnum = upperCaseEnum('RunKind', RUN_KINDS);
export const RunStatusEnum = upperCaseEnum('RunStatus', RUN_STATUSES);
export const RunTriggerEnum = upperCaseEnum('RunTrigger', RUN_TRIGGERS);

/** The GraphQL type each kind's subject has, for its global id. */
const SUBJECT_TYPE: Record<RunKind, string> = {
  file_load: 'Datasource',
  rest_refresh: 'Datasource',
  table_write: 'Datasource',
  dataflow: 'Dataflow',
  script: 'Task',
  report: 'Report',
  pdf_export: 'Dashboard',
};

export const RunRef = builder.objectRef<RunRow>('Run').implement({
  description: 'One execution of a load, dataflow, script or report.',
  fields: (t) => ({
    id: t.id({ resolve: (r) => encodeGlobalId('Run', r.id) }),
    kind: t.field({ type: RunKindEnum, resolve: (r) => r.kind }),
    subjectId: t.id({ description: 'The datasource, dataflow, task or report it ran for.', resolve: (r) => encodeGlobalId(SUBJECT_TYPE[r.kind], r.subjectId) }),
    status: t.field({ type: RunStatusEnum, resolve: (r) => r.status }),
    trigger: t.field({ type: RunTriggerEnum, resolve: (r) => r.trigger }),
    message: t.exposeString('message', { nullable: true, description: 'How it ended, in words: an error says what and where.' }),
    rowsWritten: t.exposeInt('rowsWritten', { nullable: true }),
    log: t.exposeString('log', { description: 'The log kept with the run (capped at 256 KB).' }),
    outputFileId: t.id({ nullable: true, resolve: (r) => (r.outputFileId ? encodeGlobalId('File', r.outputFileId) : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

const RunEventRef = builder.objectRef<RunEvent & { run: RunRow | null }>('RunEvent').implement({
  description: 'A state change (with the run) or a log line of a run.',
  fields: (t) => ({
    type: t.string({ description: '"status" or "log".', resolve: (e) => e.type }),
    status: t.field({ type: RunStatusEnum, nullable: true, resolve: (e) => (e.type === 'status' ? e.status : null) }),
    stream: t.string({ nullable: true, description: 'stdout, stderr or system, for log lines.', resolve: (e) => (e.type === 'log' ? e.stream : null) }),
    text: t.string({ nullable: true, resolve: (e) => (e.type === 'log' ? e.text : null) }),
    at: t.string({ resolve: (e) => e.at }),
    run: t.field({ type: RunRef, nullable: true, description: 'The run as it is now, with status events.', resolve: (e) => e.run }),
  }),
});

export async function loadRun(ctx: Context, globalId: string): Promise<RunRow> {
  const p = principalOf(ctx);
  const id = expectId(globalId, 'Run');
  const [row] = await ctx.db.select().from(runs).where(and(eq(runs.organizationId, p.organizationId), eq(runs.id, id))).limit(1);
  if (!row) throw notFound('Run');
  return row;
}

builder.queryFields((t) => ({
  run: t.field({
    type: RunRef,
    nullable: true,
    authScopes: { member: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => loadRun(ctx, String(id)).catch(() => null),
  }),
  runs: t.field({
    type: [RunRef],
    authScopes: { member: true },
    description: 'Runs of the organization, newest first; of one datasource, dataflow, task or report with subjectId.',
    args: {
      subjectId: t.arg.id(),
      before: t.arg.id({ description: 'A Run id: older runs than that one.' }),
      limit: t.arg.int({ description: 'At most 200; default 50.' }),
    },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const limit = args.limit ?? 50;
      if (limit < 1 || limit > 200) throw apiError('BAD_USER_INPUT', 'limit: must be between 1 and 200', { field: 'limit' });
      const where = [eq(runs.organizationId, p.organizationId)];
      if (args.subjectId != null) where.push(eq(runs.subjectId, decodeGlobalId(String(args.subjectId)).id));
      if (args.before != null) where.push(lt(runs.id, expectId(String(args.before), 'Run', 'before')));
      return ctx.db.select().from(runs).where(and(...where)).orderBy(desc(runs.id)).limit(limit);
    },
  }),
}));

builder.mutationField('cancelRun', (t) =>
  t.field({
    type: RunRef,
    authScopes: { editor: true },
    description: 'Stops a run: a queued one never starts, a running one is stopped (a script container is killed).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const row = await loadRun(ctx, String(id));
      return (await ctx.services.runs.cancel(row.id, 'cancelled by a user')) ?? row;
    },
  }),
);

builder.subscriptionField('runEvents', (t) =>
  t.field({
    type: RunEventRef,
    authScopes: { member: true },
    description: "A run's state changes and log lines as they happen, starting with its current state; ends when the run ends.",
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, ctx) => {
      const first = await loadRun(ctx, String(id));
      return closable(async function* (closed) {
        const inbox = new AsyncInbox<RunEvent>(10_000, closed);
        const unsubscribe = await ctx.services.pubsub.subscribe(runTopic(first.id), (message) => inbox.push(JSON.parse(message) as RunEvent));
        try {
          // Read after subscribing: an ending between the two is then seen either way.
          let run = (await ctx.services.runs.get(first.id)) ?? first;
          const statusEvent = (r: RunRow): RunEvent & { run: RunRow } => ({ type: 'status', runId: r.id, status: r.status, message: r.message, rowsWritten: r.rowsWritten, at: new Date().toISOString(), run: r });
          yield statusEvent(run);
          while (!TERMINAL_RUN_STATUSES.includes(run.status) && !closed.aborted) {
            const event = await inbox.next(15_000);
            if (closed.aborted) return;
            if (event === null || event.type === 'status') {
              const now = await ctx.services.runs.get(first.id);
              if (!now) return;
              if (event !== null || now.status !== run.status) yield statusEvent(now);
              run = now;
            } else {
              yield { ...event, run: null };
            }
          }
        } finally {
          await unsubscribe();
        }
      });
    },
    resolve: (event) => event as RunEvent & { run: RunRow | null },
  }),
);
