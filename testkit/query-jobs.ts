/** A query job's snapshot as the API stages it, for tests of the job service and journal. */
import { randomUUID } from 'node:crypto';
import type { QueryJobSnapshot } from '../schema/jobs/query-job-contract';

export function queuedJob(fields: Partial<QueryJobSnapshot> & Pick<QueryJobSnapshot, 'organizationId' | 'datasourceId'>): QueryJobSnapshot {
  return {
    id: randomUUID(),
    queue: 'queries',
    requestedBy: null,
    query: { measures: [{ agg: 'count' }] },
    status: 'QUEUED',
    seq: 1,
    progress: 0,
    rowsFetched: 0,
    cached: false,
    queuedAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    error: null,
    result: null,
    ...fields,
  };
}
