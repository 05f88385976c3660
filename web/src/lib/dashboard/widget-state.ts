/** What a widget shows at a moment: its rows, or how its query is doing. */
import type { ResultColumn } from '$sdk';

export type WidgetStatus = 'idle' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface WidgetState {
  status: WidgetStatus;
  /** 0 to 1 while running, when the engine can tell. */
  progress: number;
  rowsFetched: number;
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
  /** Rows shown come from an earlier run while a fresh one is on its way. */
  stale: boolean;
  /** In words, for people. */
  error: string | null;
  /** When the rows shown were computed (ms since epoch). */
  updatedAt: number | null;
  /** When the current run started, for "running for 12 s". */
  startedAt: number | null;
}

export const IDLE: WidgetState = {
  status: 'idle',
  progress: 0,
  rowsFetched: 0,
  columns: [],
  rows: [],
  truncated: false,
  stale: false,
  error: null,
  updatedAt: null,
  startedAt: null,
};

export function hasRows(s: WidgetState): boolean {
  return s.updatedAt !== null;
}
