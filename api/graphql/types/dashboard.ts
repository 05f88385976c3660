import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { dashboardModelSchema, emptyDashboardModel, type DashboardModel } from '../../../schema/domain/dashboard';
import { dashboards, datasources } from '../../../schema/tables';
import { builder } from '../builder';
import { orgCollection } from '../collection';
import { principalOf, type Context } from '../context';
import { apiError, badInput, notFound } from '../errors';
import { decodeGlobalId } from '../ids';
import { check } from '../validate';

type DashboardRow = typeof dashboards.$inferSelect;

export const dashboardCollection = orgCollection<typeof dashboards, DashboardRow>({
  typename: 'Dashboard',
  table: dashboards,
  list: 'dashboards',
  single: 'dashboard',
  description: 'Dashboards of the organization, newest first.',
  readScope: { member: true, wall: true },
});
export const DashboardRef = dashboardCollection.ref;

DashboardRef.implement({
  authScopes: { member: true, wall: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    model: t.field({ type: 'JSON', description: 'Tabs, widgets (query, visualization, layout) and filters.', resolve: (d) => d.model }),
    version: t.exposeInt('version', { description: 'Pass it back as expectedVersion to refuse overwriting a newer save.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);
const descriptionSchema = z.string().max(5000);

/** Widgets may only point at datasources of the same organization. */
async function checkModel(ctx: Context, value: unknown, field: string): Promise<DashboardModel> {
  const model = check(dashboardModelSchema, value, field);
  const refs = new Map<string, string>();
  model.tabs.forEach((tab, ti) =>
    tab.widgets.forEach((w, wi) => {
      if (w.datasourceId === null) return;
      const path = `${field}.tabs.${ti}.widgets.${wi}.datasourceId`;
      const decoded = decodeGlobalIdAt(w.datasourceId, path);
      if (decoded.typename !== 'Datasource') throw badInput('is not a Datasource id', path);
      refs.set(decoded.id, path);
    }),
  );
  if (refs.size > 0) {
    const found = await ctx.db
      .select({ id: datasources.id })
      .from(datasources)
      .where(and(eq(datasources.organizationId, principalOf(ctx).organizationId), inArray(datasources.id, [...refs.keys()])));
    const known = new Set(found.map((r) => r.id));
    for (const [id, path] of refs) if (!known.has(id)) throw apiError('NOT_FOUND', `${path}: datasource not found`, { field: path });
  }
  return model;
}

function decodeGlobalIdAt(id: string, path: string) {
  try {
    return decodeGlobalId(id);
  } catch {
    throw badInput('is not a valid id', path);
  }
}

const CreateDashboardInput = builder.inputType('CreateDashboardInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    model: t.field({ type: 'JSON', description: 'Defaults to one empty tab.' }),
  }),
});

const UpdateDashboardInput = builder.inputType('UpdateDashboardInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    model: t.field({ type: 'JSON' }),
    expectedVersion: t.int({ description: 'Refuse the save (CONFLICT) if someone saved a newer version meanwhile.' }),
  }),
});

builder.mutationFields((t) => ({
  createDashboard: t.field({
    type: DashboardRef,
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateDashboardInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      return dashboardCollection.data.insert(ctx.db, {
        organizationId: p.organizationId,
        name: check(nameSchema, input.name, 'input.name'),
        description: check(descriptionSchema, input.description ?? '', 'input.description'),
        model: input.model == null ? emptyDashboardModel() : await checkModel(ctx, input.model, 'input.model'),
        createdBy: p.userId,
      }) as Promise<DashboardRow>;
    },
  }),
  updateDashboard: t.field({
    type: DashboardRef,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateDashboardInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await dashboardCollection.mustGet(ctx, String(id));
      const patch: Partial<typeof dashboards.$inferInsert> = {};
      if (input.name != null) patch.name = check(nameSchema, input.name, 'input.name');
      if (input.description != null) patch.description = check(descriptionSchema, input.description, 'input.description');
      if (input.model != null) patch.model = await checkModel(ctx, input.model, 'input.model');
      const expected = input.expectedVersion ?? null;
      const row = await dashboardCollection.data.update(
        ctx.db,
        current.organizationId,
        current.id,
        { ...patch, version: sql`${dashboards.version} + 1` as unknown as number },
        expected === null ? undefined : eq(dashboards.version, expected),
      );
      if (!row) {
        if (expected !== null) throw apiError('CONFLICT', `the dashboard was saved by someone else meanwhile (expected version ${expected}): reload it`);
        throw notFound('Dashboard');
      }
      await ctx.services.content.publish(row.organizationId, { kind: 'dashboard', id: row.id });
      return row;
    },
  }),
  deleteDashboard: t.field({
    type: DashboardRef,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const row = await dashboardCollection.remove(ctx, String(id));
      await ctx.services.content.publish(row.organizationId, { kind: 'dashboard', id: row.id });
      return row;
    },
  }),
}));
