/** Runs of scripts, loads and exports: their history and how their logs read. */
import type { Run, RunEvent } from '$sdk';
import { doc, type SightlineClient } from '$lib/api/client';

export type { Run, RunEvent };
export type RunStatus = Run['status'];
export type LogStream = 'stdout' | 'stderr' | 'system';

export interface LogLine {
  /** Position in the log, for keyed lists. */
  n: number;
  stream: LogStream;
  text: string;
}

const TERMINAL: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
export const hasEnded = (status: RunStatus): boolean => TERMINAL.includes(status);

export const STATUS_WORDS: Record<RunStatus, string> = {
  QUEUED: 'queued',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

export const TRIGGER_WORDS: Record<Run['trigger'], string> = {
  MANUAL: 'by hand',
  SCHEDULE: 'on schedule',
  SCRIPT: 'by a script',
  DATAFLOW: 'by a dataflow',
};

const RUN_FIELDS = `id kind subjectId status trigger message rowsWritten createdAt startedAt finishedAt`;
const RUNS_OF = doc<{ runs: Run[] }, { subjectId: string; limit: number }>(
  `query RunsOf($subjectId: ID!, $limit: Int) { runs(subjectId: $subjectId, limit: $limit) { ${RUN_FIELDS} } }`,
);

/** The runs of a task or datasource, newest first. */
export const runsOf = async (c: SightlineClient, subjectId: string, limit = 50): Promise<Run[]> => (await c.request(RUNS_OF, { subjectId, limit })).runs;

/**
 * A stored log back into lines. The server keeps stderr lines as "! …" and its own lines as
 * "# …" (stdout has no mark), so an output line that itself starts with one of those marks is
 * shown as that stream: the live stream is the exact one.
 */
export function parseStoredLog(log: string): LogLine[] {
  const text = log.endsWith('\n') ? log.slice(0, -1) : log;
  if (!text) return [];
  return text.split('\n').map((line, n) => {
    if (line.startsWith('! ')) return { n, stream: 'stderr', text: line.slice(2) };
    if (line.startsWith('# ')) return { n, stream: 'system', text: line.slice(2) };
    return { n, stream: 'stdout', text: line };
  });
}

export function asStream(value: string | null): LogStream {
  return value === 'stderr' || value === 'system' ? value : 'stdout';
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export const formatTime = (iso: string | null): string => (iso ? when.format(new Date(iso)) : '—');

/** How long a run took (or has taken so far), e.g. "4.2 s" or "3 min 5 s". */
export function duration(run: Pick<Run, 'startedAt' | 'finishedAt'>, now: number = Date.now()): string {
  if (!run.startedAt) return '—';
  const ms = (run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt);
  const s = Math.max(0, ms / 1000);
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
