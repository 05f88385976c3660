import type { ForcedFilter, PdfOptions, Recipient } from './report';

/**
 * A run: one execution of work that is not a dashboard query — a file load, a REST refresh,
 * a dataflow, a user script, a table written by a script, a report. One history for all of
 * them, so the app shows "what ran, when, how it ended, its log" the same way everywhere.
 */
export const RUN_KINDS = ['file_load', 'rest_refresh', 'dataflow', 'script', 'table_write', 'report', 'pdf_export'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_TRIGGERS = ['manual', 'schedule', 'script', 'dataflow'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

/** A log kept with a run is capped; the live stream carries every line. */
export const RUN_LOG_MAX_BYTES = 256 * 1024;

/** What each kind of run takes, stored on the run so a retry repeats exactly the same work. */
export type RunParams =
  | { kind: 'file_load'; fileId: string; mode: 'replace' | 'append' }
  | { kind: 'rest_refresh' }
  | { kind: 'dataflow' }
  | { kind: 'script' }
  | { kind: 'table_write'; fileId: string; mode: 'replace' | 'append' }
  | { kind: 'report' }
  /** A PDF of a dashboard now: stored (exportDashboardPdf), and emailed when recipients are given (sendDashboard). */
  | { kind: 'pdf_export'; options: PdfOptions; filters: ForcedFilter[]; recipients: Recipient[]; subject?: string; message?: string };
