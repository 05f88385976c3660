import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../schema/database';
import { organizations, tasks } from '../../../schema/tables';
import type { NewRun, RunJournal } from '../../../infra/jobs/run-journal';
import { dueTime } from '../due-time';
import { fireDueSchedules } from '../scheduler';

describe('scheduler', () => {
  let database: Database;
  const started: NewRun[] = [];
  const runs = { start: async (run: NewRun) => (started.push(run), {} as never) } as unknown as RunJournal;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: null });
  });
  afterAll(() => database.close());

  it('finds the latest due time in the schedule’s time zone, once', () => {
    const since = new Date('2026-03-01T00:00:00Z');
    // 08:00 in Paris is 07:00 UTC in winter.
    expect(dueTime('0 8 * * 1', 'Europe/Paris', since, new Date('2026-03-02T07:30:00Z'))?.toISOString()).toBe('2026-03-02T07:00:00.000Z');
    expect(dueTime('0 8 * * 1', 'Europe/Paris', new Date('2026-03-02T07:00:00Z'), new Date('2026-03-02T07:30:00Z'))).toBeNull();
    // A scheduler down for days fires a missed hourly schedule once, for the latest hour.
    expect(dueTime('0 * * * *', 'UTC', since, new Date('2026-03-05T10:20:00Z'))?.toISOString()).toBe('2026-03-05T10:00:00.000Z');
  });

  it('starts exactly one run per due time, however many schedulers race for it', async () => {
    const [org] = await database.db.insert(organizations).values({ name: 'Sched' }).returning();
    const createdAt = new Date('2026-01-01T00:00:00Z');
    const [task] = await database.db.insert(tasks).values({ organizationId: org!.id, name: 'hourly', schedule: '0 * * * *', timezone: 'UTC', createdAt }).returning();
    await database.db.insert(tasks).values({ organizationId: org!.id, name: 'manual only', createdAt });
    await database.db.insert(tasks).values({ organizationId: org!.id, name: 'disabled', schedule: '* * * * *', enabled: false, createdAt });

    const at = (iso: string) => () => new Date(iso);
    const racing = await Promise.all([1, 2, 3].map(() => fireDueSchedules({ db: database.db, runs, now: at('2026-01-01T05:10:00Z') })));
    expect(racing.flat()).toHaveLength(1);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ kind: 'script', subjectId: task!.id, trigger: 'schedule', organizationId: org!.id });

    expect(await fireDueSchedules({ db: database.db, runs, now: at('2026-01-01T05:50:00Z') })).toEqual([]);
    const next = await fireDueSchedules({ db: database.db, runs, now: at('2026-01-01T06:00:30Z') });
    expect(next.map((f) => f.due.toISOString())).toEqual(['2026-01-01T06:00:00.000Z']);
    expect(started).toHaveLength(2);
  });
});
