export const QUERY_JOB_STATUSES = ['QUEUED', 'RUNNING', 'DONE', 'FAILED', 'CANCELLED'] as const;
export type QueryJobStatus = (typeof QUERY_JOB_STATUSES)[number];

/** What a failed job tells its callers: a stable code and words, never a stack or SQL. */
export interface QueryJobError {
  code: string;
  message: string;
  path?: string;
  formula?: string;
  position?: { start: number; end: number };
}
