/**
 * The contract of runs between the API and the workers: which queue each kind goes to, the
 * payload (just the run's id: everything else is in the run's row), and the events published
 * on a run's topic while it goes.
 */
import type { RunKind, RunStatus } from '../domain/run';

/** Loads never wait behind scripts, and scripts never behind reports. */
export const RUN_QUEUES = { loads: 'loads', scripts: 'scripts', reports: 'reports' } as const;
export type RunQueue = (typeof RUN_QUEUES)[keyof typeof RUN_QUEUES];

export function queueOfRun(kind: RunKind): RunQueue {
  switch (kind) {
    case 'script':
      return RUN_QUEUES.scripts;
    case 'report':
    case 'pdf_export':
      return RUN_QUEUES.reports;
    default:
      return RUN_QUEUES.loads;
  }
}

export interface RunJobPayload {
  runId: string;
}

export type RunEvent =
  | { type: 'status'; runId: string; status: RunStatus; message: string | null; rowsWritten: number | null; at: string }
  | { type: 'log'; runId: string; stream: 'stdout' | 'stderr' | 'system'; text: string; at: string };

export const runTopic = (runId: string) => `sl:run:${runId}`;

/** Published with an organization id when its credentials change (a script's token revoked). */
export const AUTH_CHANGED_TOPIC = 'sl:auth:changed';
