/**
 * Query jobs: run a query, follow it, cancel it, keep it live. A job's current state (with its
 * result) is the stored snapshot; finished jobs older than that live on as history rows.
 */
import { withForcedFilters } from '../../jobs/forced-filters';
import { and, eq } from 'drizzle-orm';
import { QUERY_JOB_STATUSES, type QueryJobError, type QueryJobStatus } from '../../../schema/domain/query-job';
import type { QueryJobSnapshot, QueryResult } from '../../../schema/jobs/query-job-contract';
import { datasources, queryJobs } from '../../../schema/tables';
import { orgScoped } from '../../data/org-scoped';
import { builder } from '../builder';
import { principalOf, type Context } from '../context';
import { mayRead } from '../../auth/principal';
import { apiError, notFound } from '../errors';
import { encodeGlobalId, expectId, isUuid } from '../ids';
import { paginate } from '../pagination';
import { datasourceCollection, DatasourceRef } from './datasource';
import { UserRef } from './user';

type QueryJobRow = typeof queryJobs.$inferSelect;
const jobRows = orgScoped(queryJobs);

/** A history row, for a job whose snapshot has expired: its state without the result. */
function fromRow(row: QueryJobRow): QueryJobSnapshot {
  return {
    id: row.id,
    queue: 'queries',
    organizationId: row.organizationId,
    datasourceId: row.datasourceId,
    requestedBy: row.requestedBy,
    query: row.query,
    status: row.status,
    seq: 0,
    progress: row.progress,
    rowsFetched: row.rowCount ?? 0,
    cached: false,
    queuedAt: row.queuedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
    result: null,
  };
}

async function loadJobs(ids: readonly string[], ctx: Context): Promise<QueryJobSnapshot[]> {
  const p = ctx.principal;
  if (!p) return [];
  const valid = ids.filter(isUuid);
  const found = await Promise.all(valid.map((id) => ctx.services.queryJobs.get(p, id)));
  const snapshots = found.filter((s): s is QueryJobSnapshot => s !== null && mayRead(p, 'Datasource', s.datasourceId));
  const missing = valid.filter((id) => !snapshots.some((s) => s.id === id));
  if (missing.length > 0 && !p.display) snapshots.push(...(await jobRows.byIds(ctx.db, p.organizationId, missing)).map(fromRow));
  return snapshots;
}

export const QueryJobStatusEnum = builder.enumType('QueryJobStatus', {
  values: Object.fromEntries(QUERY_JOB_STATUSES.map((s) => [s, { value: s }])) as Record<QueryJobStatus, { value: QueryJobStatus }>,
});

export const QueryErrorRef = builder.objectRef<QueryJobError>('QueryError').implement({
  description: 'Why a job failed: a stable code, words, and where (query path, formula, position).',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    path: t.exposeString('path', { nullable: true }),
    formula: t.exposeString('formula', { nullable: true }),
    position: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.position ?? null }),
  }),
});

const ResultColumnRef = builder.objectRef<{ name: string; type: string }>('ResultColumn').implement({
  fields: (t) => ({ name: t.exposeString('name'), type: t.exposeString('type', { description: 'string, number, boolean, date or timestamp.' }) }),
});

const QueryResultRef = builder.objectRef<QueryResult>('QueryResult').implement({
  description: 'Rows as arrays in the order of `columns` (docs/query-language.md, "Output").',
  fields: (t) => ({
    columns: t.field({ type: [ResultColumnRef], resolve: (r) => r.columns }),
    rows: t.field({ type: 'JSON', resolve: (r) => r.rows }),
    rowCount: t.exposeInt('rowCount'),
    truncated: t.exposeBoolean('truncated', { description: "True when the server's row maximum cut the result." }),
  }),
});

export const QueryJobRef = builder.loadableNode('QueryJob', {
  id: { resolve: (j) => j.id },
  load: (ids: string[], ctx: Context) => loadJobs(ids, ctx),
  sort: (j) => j.id,
  authScopes: { member: true, wall: true },
  fields: (t) => ({
    status: t.field({ type: QueryJobStatusEnum, resolve: (j) => j.status }),
    progress: t.exposeFloat('progress', { description: 'From 0 to 1.' }),
    rowsFetched: t.exposeInt('rowsFetched'),
    cached: t.exposeBoolean('cached', { description: 'True when the answer came from the result cache.' }),
    queuedAt: t.field({ type: 'DateTime', resolve: (j) => new Date(j.queuedAt) }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (j) => (j.startedAt ? new Date(j.startedAt) : null) }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (j) => (j.finishedAt ? new Date(j.finishedAt) : null) }),
    error: t.field({ type: QueryErrorRef, nullable: true, resolve: (j) => j.error }),
    result: t.field({ type: QueryResultRef, nullable: true, description: 'Set when DONE (and while the result is kept).', resolve: (j) => j.result }),
    query: t.field({ type: 'JSON', resolve: (j) => j.query }),
    datasource: t.field({ type: DatasourceRef, nullable: true, resolve: (j) => j.datasourceId }),
    requestedBy: t.field({ type: UserRef, nullable: true, resolve: (j) => j.requestedBy }),
  }),
});

const QueryJobEventRef = builder.objectRef<QueryJobSnapshot>('QueryJobEvent').implement({
  description: 'A state of a job: QUEUED, RUNNING (with progress), DONE (with the result), FAILED (with the error) or CANCELLED.',
  fields: (t) => ({
    jobId: t.id({ resolve: (j) => encodeGlobalId('QueryJob', j.id) }),
    status: t.field({ type: QueryJobStatusEnum, resolve: (j) => j.status }),
    progress: t.exposeFloat('progress'),
    rowsFetched: t.exposeInt('rowsFetched'),
    cached: t.exposeBoolean('cached'),
    error: t.field({ type: QueryErrorRef, nullable: true, resolve: (j) => j.error }),
    result: t.field({ type: QueryResultRef, nullable: true, resolve: (j) => j.result }),
    job: t.field({ type: QueryJobRef, resolve: (j) => j }),
  }),
});

/** The datasource a query may run on: the caller's, and for a wall one its dashboards use. */
async function queryableDatasource(ctx: Context, globalId: string) {
  const p = principalOf(ctx);
  const row = await ctx.services.datasourceCache.get(p.organizationId, expectId(globalId, 'Datasource', 'datasourceId'));
  if (!row || !mayRead(p, 'Datasource', row.id)) throw notFound('Datasource');
  return row;
}

builder.queryFields((t) => ({
  queryJob: t.field({
    type: QueryJobRef,
    nullable: true,
    authScopes: { member: true, wall: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args) => expectId(String(args.id), 'QueryJob') as never,
  }),
  queryJobs: t.connection({
    type: QueryJobRef,
    description: 'Query jobs of the organization, newest first (history; results only while kept).',
    authScopes: { member: true },
    args: { datasourceId: t.arg.id() },
    resolve: (_root, args, ctx) => {
      const orgId = principalOf(ctx).organizationId;
      const where = args.datasourceId ? eq(queryJobs.datasourceId, expectId(String(args.datasourceId), 'Datasource', 'datasourceId')) : undefined;
      return paginate<QueryJobSnapshot>(args, async (page) => {
        const rows = await jobRows.page(ctx.db, orgId, page, where);
        const live = await Promise.all(rows.map((r) => ctx.services.queryJobs.get(principalOf(ctx), r.id)));
        return rows.map((r, i) => live[i] ?? fromRow(r));
      });
    },
  }),
}));

builder.mutationFields((t) => ({
  runQuery: t.field({
    type: QueryJobRef,
    description: 'Runs a query (docs/query-language.md): answered from the cache, joined to an identical job in flight, or queued. A bad query is a FAILED job.',
    authScopes: { member: true, wall: true },
    args: {
      datasourceId: t.arg.id({ required: true }),
      query: t.arg({ type: 'JSON', required: true }),
      refresh: t.arg.boolean({ description: 'Bypass the result cache.' }),
    },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const datasource = await queryableDatasource(ctx, String(args.datasourceId));
      return ctx.services.queryJobs.run(p, datasource, withForcedFilters(p, args.query), args.refresh ?? false);
    },
  }),
  cancelQueryJob: t.field({
    type: QueryJobRef,
    description: 'Removes a queued job, or stops a running one in the database.',
    authScopes: { member: true, wall: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const id = expectId(String(args.id), 'QueryJob');
      const visible = await ctx.services.queryJobs.get(p, id);
      if (!visible || !mayRead(p, 'Datasource', visible.datasourceId)) throw notFound('QueryJob');
      const job = await ctx.services.queryJobs.cancel(p.organizationId, id);
      if (!job) throw notFound('QueryJob');
      return job;
    },
  }),
  notifyDataChanged: t.field({
    type: DatasourceRef,
    description: "Says that a datasource's data changed (an ETL finished, rows were inserted): cached results are dropped and live queries refresh.",
    authScopes: { editor: true },
    args: { datasourceId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const current = await datasourceCollection.mustGet(ctx, String(args.datasourceId), 'datasourceId');
      const [row] = await ctx.db
        .update(datasources)
        .set({ dataVersion: current.dataVersion + 1 })
        .where(and(eq(datasources.id, current.id), eq(datasources.organizationId, current.organizationId)))
        .returning();
      if (!row) throw notFound('Datasource');
      await ctx.services.queryJobs.announceChange({ datasourceId: row.id, dataVersion: row.dataVersion });
      return row;
    },
  }),
}));

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  queryJob: t.field({
    type: QueryJobEventRef,
    description: "A job's states, from the current one to its end. Leaving as its last subscriber cancels an unfinished job.",
    authScopes: { member: true, wall: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const p = principalOf(ctx);
      const states = await ctx.services.queryJobs.follow(p, expectId(String(args.id), 'QueryJob'), (job) => mayRead(p, 'Datasource', job.datasourceId));
      if (!states) throw notFound('QueryJob');
      return states;
    },
    resolve: (event) => event,
  }),
  liveQuery: t.field({
    type: QueryJobEventRef,
    description: "A query kept fresh: its result now, then again whenever the datasource's data changes or refreshSeconds pass.",
    authScopes: { member: true, wall: true },
    args: {
      datasourceId: t.arg.id({ required: true }),
      query: t.arg({ type: 'JSON', required: true }),
      refreshSeconds: t.arg.int({ description: 'Also re-run (bypassing the cache) this often; at least 5.' }),
    },
    subscribe: async (_root, args, ctx) => {
      const datasource = await queryableDatasource(ctx, String(args.datasourceId));
      const refresh = args.refreshSeconds ?? null;
      if (refresh !== null && (refresh < 5 || refresh > 86_400)) throw apiError('BAD_USER_INPUT', 'refreshSeconds: must be between 5 and 86400', { field: 'refreshSeconds' });
      return ctx.services.queryJobs.live(principalOf(ctx), datasource, withForcedFilters(principalOf(ctx), args.query), refresh);
    },
    resolve: (event) => event,
  }),
}));

