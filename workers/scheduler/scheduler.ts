/**
 * The scheduler loop. It reads the schedulable rows (few: only those with a schedule), finds
 * the ones due, and claims each due time with a conditional update before starting its run.
 */
import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../schema/database';
import type { RunKind, RunParams } from '../../schema/domain/run';
import { dataflows, datasources, reports, tasks } from '../../schema/tables';
import type { RunJournal } from '../../infra/jobs/run-journal';
import { dueTime } from './due-time';

export interface Schedulable {
  id: string;
  organizationId: string;
  schedule: string;
  timezone: string;
  lastFiredAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
}

export interface ScheduleSource {
  kind: RunKind;
  list(db: Db): Promise<Schedulable[]>;
  /** Sets last_fired_at to `due` unless another scheduler already did; true when we won. */
  claim(db: Db, id: string, due: Date): Promise<boolean>;
  params: RunParams;
}

function claimer(table: PgTable, idColumn: PgColumn, lastFiredAt: PgColumn) {
  return async (db: Db, id: string, due: Date) => {
    const rows = await db
      .update(table)
      .set({ lastFiredAt: due } as never)
      .where(and(eq(idColumn, id), or(isNull(lastFiredAt), lt(lastFiredAt, due))))
      .returning({ id: idColumn });
    return rows.length > 0;
  };
}

export const SCHEDULE_SOURCES: ScheduleSource[] = [
  {
    kind: 'script',
    params: { kind: 'script' },
    list: async (db) =>
      (await db.select().from(tasks).where(and(isNotNull(tasks.schedule), eq(tasks.enabled, true)))).map((t) => ({ ...t, schedule: t.schedule!, createdBy: t.createdBy })),
    claim: claimer(tasks, tasks.id, tasks.lastFiredAt),
  },
  {
    kind: 'dataflow',
    params: { kind: 'dataflow' },
    list: async (db) =>
      (await db.select().from(dataflows).where(and(isNotNull(dataflows.schedule), eq(dataflows.enabled, true)))).map((d) => ({ ...d, schedule: d.schedule!, createdBy: d.createdBy })),
    claim: claimer(dataflows, dataflows.id, dataflows.lastFiredAt),
  },
  {
    kind: 'report',
    params: { kind: 'report' },
    list: async (db) =>
      (await db.select().from(reports).where(and(isNotNull(reports.schedule), eq(reports.enabled, true)))).map((r) => ({ ...r, schedule: r.schedule!, createdBy: r.createdBy })),
    claim: claimer(reports, reports.id, reports.lastFiredAt),
  },
  {
    kind: 'rest_refresh',
    params: { kind: 'rest_refresh' },
    list: async (db) =>
      (await db.select().from(datasources).where(and(eq(datasources.kind, 'rest'), isNotNull(datasources.refreshSchedule)))).map((d) => ({
        id: d.id,
        organizationId: d.organizationId,
        schedule: d.refreshSchedule!,
        timezone: d.timezone,
        lastFiredAt: d.lastFiredAt,
        createdAt: d.createdAt,
        createdBy: d.createdBy,
      })),
    claim: claimer(datasources, datasources.id, datasources.lastFiredAt),
  },
];

export interface SchedulerOptions {
  db: Db;
  runs: RunJournal;
  sources?: ScheduleSource[];
  intervalMs?: number;
  now?: () => Date;
  onError?: (err: unknown) => void;
}

/** One pass: every due schedule gets its run. Returns the runs started (for tests and logs). */
export async function fireDueSchedules(options: SchedulerOptions): Promise<{ kind: RunKind; subjectId: string; due: Date }[]> {
  const now = (options.now ?? (() => new Date()))();
  const fired: { kind: RunKind; subjectId: string; due: Date }[] = [];
  for (const source of options.sources ?? SCHEDULE_SOURCES) {
    for (const row of await source.list(options.db)) {
      const due = dueTime(row.schedule, row.timezone, row.lastFiredAt ?? row.createdAt, now);
      if (!due || !(await source.claim(options.db, row.id, due))) continue;
      await options.runs.start({ organizationId: row.organizationId, kind: source.kind, subjectId: row.id, params: source.params, trigger: 'schedule', requestedBy: row.createdBy });
      fired.push({ kind: source.kind, subjectId: row.id, due });
    }
  }
  return fired;
}

export function startScheduler(options: SchedulerOptions): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => fireDueSchedules(options)).catch((err: unknown) => options.onError?.(err));
  }, options.intervalMs ?? 15_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
