import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { TASK_RUNTIMES, type TaskRuntime } from '../../../schema/domain/task';
import { tasks } from '../../../schema/tables';
import { builder } from '../builder';
import { upperCaseEnum } from '../enums';
import { orgCollection } from '../collection';
import { principalOf } from '../context';
import { badInput, notFound } from '../errors';
import { check } from '../validate';
import { checkSchedule, checkTimezone } from '../schedule';
import { RunRef } from './run';
import { apiTokens } from '../../../schema/tables';
import { eq } from 'drizzle-orm';
import type { Context } from '../context';

type TaskRow = typeof tasks.$inferSelect;

export const taskCollection = orgCollection<typeof tasks, TaskRow>({
  typename: 'Task',
  table: tasks,
  list: 'tasks',
  single: 'task',
  description: 'User scripts of the organization, newest first.',
});

const RuntimeEnum = upperCaseEnum('TaskRuntime', TASK_RUNTIMES);

taskCollection.ref.implement({
  authScopes: { member: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    code: t.exposeString('code'),
    runtime: t.field({ type: RuntimeEnum, resolve: (r) => r.runtime }),
    schedule: t.exposeString('schedule', { nullable: true, description: 'A cron expression, evaluated in `timezone`.' }),
    timezone: t.exposeString('timezone'),
    enabled: t.exposeBoolean('enabled'),
    timeoutSeconds: t.exposeInt('timeoutSeconds'),
    nextRunAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (r) => (r.schedule && r.enabled ? CronExpressionParser.parse(r.schedule, { tz: r.timezone }).next().toDate() : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const TaskInput = builder.inputType('TaskInput', {
  fields: (t) => ({
    name: t.string(),
    code: t.string(),
    runtime: t.field({ type: RuntimeEnum }),
    schedule: t.string({ description: 'A cron expression; "" removes the schedule.' }),
    timezone: t.string({ description: 'An IANA time zone, e.g. Europe/Paris.' }),
    enabled: t.boolean(),
    timeoutSeconds: t.int(),
  }),
});

const schemas = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  code: z.string().max(1_000_000),
  timeoutSeconds: z.number().int().min(1).max(6 * 3600),
};

type TaskInputShape = {
  name?: string | null;
  code?: string | null;
  runtime?: TaskRuntime | null;
  schedule?: string | null;
  timezone?: string | null;
  enabled?: boolean | null;
  timeoutSeconds?: number | null;
};

function toPatch(input: TaskInputShape, current: { timezone: string; schedule: string | null } | null) {
  const patch: Partial<typeof tasks.$inferInsert> = {};
  if (input.name != null) patch.name = check(schemas.name, input.name, 'input.name');
  if (input.code != null) patch.code = check(schemas.code, input.code, 'input.code');
  if (input.runtime != null) patch.runtime = input.runtime;
  if (input.enabled != null) patch.enabled = input.enabled;
  if (input.timeoutSeconds != null) patch.timeoutSeconds = check(schemas.timeoutSeconds, input.timeoutSeconds, 'input.timeoutSeconds');
  const timezone = input.timezone != null ? checkTimezone(input.timezone, 'input.timezone') : (current?.timezone ?? 'UTC');
  if (input.timezone != null) patch.timezone = timezone;
  const schedule = input.schedule ?? current?.schedule ?? null;
  if (schedule !== null) patch.schedule = checkSchedule(schedule, timezone, 'input.schedule');
  // A schedule counts from when it is set: setting one never fires a time already past.
  if (input.schedule != null || input.timezone != null) patch.lastFiredAt = new Date();
  return patch;
}

builder.mutationFields((t) => ({
  createTask: t.field({
    type: taskCollection.ref,
    authScopes: { editor: true },
    args: { input: t.arg({ type: TaskInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      const patch = toPatch(input, null);
      return taskCollection.data.insert(ctx.db, {
        ...patch,
        name: check(schemas.name, input.name ?? '', 'input.name'),
        organizationId: p.organizationId,
        createdBy: p.userId,
      }) as Promise<TaskRow>;
    },
  }),
  updateTask: t.field({
    type: taskCollection.ref,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: TaskInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await taskCollection.mustGet(ctx, String(id));
      const row = await taskCollection.patch(ctx, current, toPatch(input, current));
      if (!row) throw notFound('Task');
      return row;
    },
  }),
  runTask: t.field({
    type: RunRef,
    authScopes: { editor: true },
    description: 'Runs the script now in a sandbox container; follow its log with runEvents, stop it with cancelRun.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const task = await taskCollection.mustGet(ctx, String(id));
      const p = principalOf(ctx);
      // A script starting another script is told apart in the history.
      const trigger = p.kind === 'apiToken' && (await isScriptToken(ctx, p.credentialId)) ? 'script' : 'manual';
      return ctx.services.runs.start({ organizationId: p.organizationId, kind: 'script', subjectId: task.id, params: { kind: 'script' }, trigger, requestedBy: p.userId });
    },
  }),
  deleteTask: t.field({
    type: taskCollection.ref,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => taskCollection.remove(ctx, String(id)),
  }),
}));

async function isScriptToken(ctx: Context, tokenId: string): Promise<boolean> {
  const [row] = await ctx.db.select({ name: apiTokens.name }).from(apiTokens).where(eq(apiTokens.id, tokenId)).limit(1);
  return row?.name.startsWith('run ') ?? false;
}
