/**
 * Dataflows (ETL): a JSON query on one datasource whose result is stored as a warehouse table,
 * on demand or on a schedule. Each dataflow comes with a warehouse datasource over its table,
 * so dashboards use the result like any other source.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { LOAD_MODES, type LoadMode, warehouseSchemaOf, warehouseNameSchema } from '../../../schema/domain/warehouse';
import { dataflows, datasources, tasks } from '../../../schema/tables';
import { normalizeQuery, QueryError } from '../../../query';
import { builder } from '../builder';
import { upperCaseEnum } from '../enums';
import { orgCollection } from '../collection';
import { principalOf, type Context } from '../context';
import { apiError, badInput, notFound } from '../errors';
import { encodeGlobalId, expectId } from '../ids';
import { checkSchedule, checkTimezone, nextRun } from '../schedule';
import { check } from '../validate';
import { RunRef } from './run';
import { datasourceCollection } from './datasource';

type DataflowRow = typeof dataflows.$inferSelect;

export const dataflowCollection = orgCollection<typeof dataflows, DataflowRow>({
  typename: 'Dataflow',
  table: dataflows,
  list: 'dataflows',
  single: 'dataflow',
  description: 'Dataflows of the organization, newest first.',
});

export const LoadModeEnum = upperCaseEnum('LoadMode', LOAD_MODES);

dataflowCollection.ref.implement({
  authScopes: { member: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    sourceDatasourceId: t.id({ resolve: (r) => encodeGlobalId('Datasource', r.sourceDatasourceId) }),
    query: t.field({ type: 'JSON', resolve: (r) => r.query }),
    targetTable: t.exposeString('targetTable'),
    targetDatasourceId: t.id({ nullable: true, description: 'The warehouse datasource over the target table.', resolve: (r) => (r.targetDatasourceId ? encodeGlobalId('Datasource', r.targetDatasourceId) : null) }),
    mode: t.field({ type: LoadModeEnum, resolve: (r) => r.mode }),
    afterTaskId: t.id({ nullable: true, description: 'The script run after the load, as the next step.', resolve: (r) => (r.afterTaskId ? encodeGlobalId('Task', r.afterTaskId) : null) }),
    schedule: t.exposeString('schedule', { nullable: true }),
    timezone: t.exposeString('timezone'),
    enabled: t.exposeBoolean('enabled'),
    nextRunAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => nextRun(r.schedule, r.timezone, r.enabled) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const DataflowInput = builder.inputType('DataflowInput', {
  fields: (t) => ({
    name: t.string(),
    sourceDatasourceId: t.id(),
    query: t.field({ type: 'JSON', description: 'A JSON query (query-language.md) on the source datasource.' }),
    targetTable: t.string({ description: 'The warehouse table the result is written to.' }),
    mode: t.field({ type: LoadModeEnum }),
    schedule: t.string({ description: 'A cron expression; "" removes the schedule.' }),
    timezone: t.string(),
    enabled: t.boolean(),
    afterTaskId: t.id({ description: 'A task (script) run once the table is written, as the next step; "" removes it.' }),
  }),
});

type DataflowInputShape = {
  name?: string | null;
  sourceDatasourceId?: string | number | null;
  query?: unknown;
  targetTable?: string | null;
  mode?: LoadMode | null;
  schedule?: string | null;
  timezone?: string | null;
  enabled?: boolean | null;
  afterTaskId?: string | number | null;
};

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);

async function sourceOf(ctx: Context, globalId: string, field: string) {
  const id = expectId(globalId, 'Datasource', field);
  const rows = await datasourceCollection.data.byIds(ctx.db, principalOf(ctx).organizationId, [id]);
  if (!rows[0]) throw badInput('no such datasource', field);
  return rows[0];
}

async function taskOf(ctx: Context, globalId: string, field: string): Promise<string> {
  const id = expectId(globalId, 'Task', field);
  const [row] = await ctx.db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.organizationId, principalOf(ctx).organizationId), eq(tasks.id, id))).limit(1);
  if (!row) throw notFound('Task');
  return row.id;
}

function checkQuery(query: unknown, field: string): unknown {
  try {
    return normalizeQuery(query);
  } catch (err) {
    if (err instanceof QueryError) throw badInput(err.message, field);
    throw err;
  }
}

async function toPatch(ctx: Context, input: DataflowInputShape, current: DataflowRow | null) {
  const patch: Partial<typeof dataflows.$inferInsert> = {};
  if (input.name != null) patch.name = check(nameSchema, input.name, 'input.name');
  if (input.sourceDatasourceId != null) patch.sourceDatasourceId = (await sourceOf(ctx, String(input.sourceDatasourceId), 'input.sourceDatasourceId')).id;
  if (input.query != null) patch.query = checkQuery(input.query, 'input.query');
  if (input.targetTable != null) patch.targetTable = check(warehouseNameSchema, input.targetTable, 'input.targetTable');
  if (input.mode != null) patch.mode = input.mode;
  if (input.enabled != null) patch.enabled = input.enabled;
  if (input.afterTaskId != null) patch.afterTaskId = input.afterTaskId === '' ? null : await taskOf(ctx, String(input.afterTaskId), 'input.afterTaskId');
  const timezone = input.timezone != null ? checkTimezone(input.timezone, 'input.timezone') : (current?.timezone ?? 'UTC');
  if (input.timezone != null) patch.timezone = timezone;
  const schedule = input.schedule ?? current?.schedule ?? null;
  if (schedule !== null) patch.schedule = checkSchedule(schedule, timezone, 'input.schedule');
  // A schedule counts from when it is set: setting one never fires a time already past.
  if (input.schedule != null || input.timezone != null) patch.lastFiredAt = new Date();
  return patch;
}

/** The warehouse datasource over a table, created when missing. */
export async function warehouseDatasourceFor(ctx: Context, table: string, name: string): Promise<typeof datasources.$inferSelect> {
  const p = principalOf(ctx);
  const [existing] = await ctx.db
    .select()
    .from(datasources)
    .where(and(eq(datasources.organizationId, p.organizationId), eq(datasources.kind, 'warehouse'), sql`${datasources.connection}->>'table' = ${table}`))
    .limit(1);
  if (existing) return existing;
  return (await datasourceCollection.data.insert(ctx.db, {
    organizationId: p.organizationId,
    name,
    kind: 'warehouse',
    connection: { table },
    source: { kind: 'table', schema: warehouseSchemaOf(p.organizationId), table },
    formulas: [],
    createdBy: p.userId,
  })) as typeof datasources.$inferSelect;
}

builder.mutationFields((t) => ({
  createDataflow: t.field({
    type: dataflowCollection.ref,
    authScopes: { editor: true },
    args: { input: t.arg({ type: DataflowInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      for (const key of ['name', 'sourceDatasourceId', 'query', 'targetTable'] as const) {
        if (input[key] == null) throw badInput('is required', `input.${key}`);
      }
      const patch = await toPatch(ctx, input, null);
      const target = await warehouseDatasourceFor(ctx, patch.targetTable!, patch.name!);
      return dataflowCollection.data.insert(ctx.db, {
        ...patch,
        name: patch.name!,
        sourceDatasourceId: patch.sourceDatasourceId!,
        query: patch.query!,
        targetTable: patch.targetTable!,
        targetDatasourceId: target.id,
        organizationId: p.organizationId,
        createdBy: p.userId,
      }) as Promise<DataflowRow>;
    },
  }),
  updateDataflow: t.field({
    type: dataflowCollection.ref,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: DataflowInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await dataflowCollection.mustGet(ctx, String(id));
      const patch = await toPatch(ctx, input, current);
      if (patch.targetTable && patch.targetTable !== current.targetTable) patch.targetDatasourceId = (await warehouseDatasourceFor(ctx, patch.targetTable, patch.name ?? current.name)).id;
      const row = await dataflowCollection.patch(ctx, current, patch);
      if (!row) throw notFound('Dataflow');
      return row;
    },
  }),
  deleteDataflow: t.field({
    type: dataflowCollection.ref,
    authScopes: { editor: true },
    description: 'Deletes the dataflow; its table and datasource stay.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => dataflowCollection.remove(ctx, String(id)),
  }),
  runDataflow: t.field({
    type: RunRef,
    authScopes: { editor: true },
    description: 'Runs the dataflow now; follow it with runEvents.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const flow = await dataflowCollection.mustGet(ctx, String(id));
      if (!flow) throw apiError('NOT_FOUND', 'Dataflow not found');
      const p = principalOf(ctx);
      return ctx.services.runs.start({ organizationId: p.organizationId, kind: 'dataflow', subjectId: flow.id, params: { kind: 'dataflow' }, requestedBy: p.userId });
    },
  }),
}));
