import { QUERY_JOB_STATUSES, type QueryJobError, type QueryJobStatus } from '../../../schema/domain/query-job';
import { queryJobs } from '../../../schema/tables';
import { builder } from '../builder';
import { orgCollection } from '../collection';
import { DatasourceRef } from './datasource';
import { UserRef } from './user';

type QueryJobRow = typeof queryJobs.$inferSelect;

export const queryJobCollection = orgCollection<typeof queryJobs, QueryJobRow>({
  typename: 'QueryJob',
  table: queryJobs,
  list: 'queryJobs',
  single: 'queryJob',
  description: 'Query jobs of the organization, newest first.',
});

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

queryJobCollection.ref.implement({
  authScopes: { member: true },
  fields: (t) => ({
    status: t.field({ type: QueryJobStatusEnum, resolve: (j) => j.status }),
    datasource: t.field({ type: DatasourceRef, nullable: true, resolve: (j) => j.datasourceId }),
    requestedBy: t.field({ type: UserRef, nullable: true, resolve: (j) => j.requestedBy }),
    query: t.field({ type: 'JSON', resolve: (j) => j.query }),
    progress: t.exposeFloat('progress'),
    rowCount: t.exposeInt('rowCount', { nullable: true }),
    error: t.field({ type: QueryErrorRef, nullable: true, resolve: (j) => j.error }),
    queuedAt: t.expose('queuedAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});
