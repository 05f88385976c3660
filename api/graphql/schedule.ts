/** Schedules as users give them: a cron expression evaluated in an IANA time zone. */
import { CronExpressionParser } from 'cron-parser';
import { badInput } from './errors';

export function checkTimezone(tz: string, field: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    throw badInput(`"${tz}" is not an IANA time zone`, field);
  }
}

/** The cleaned expression, or null for "" (no schedule). */
export function checkSchedule(expr: string, tz: string, field: string): string | null {
  if (expr.trim() === '') return null;
  try {
    CronExpressionParser.parse(expr, { tz });
    return expr.trim();
  } catch (err) {
    throw badInput(`is not a valid cron expression (${(err as Error).message})`, field);
  }
}

export function nextRun(schedule: string | null, timezone: string, enabled = true): Date | null {
  return schedule && enabled ? CronExpressionParser.parse(schedule, { tz: timezone }).next().toDate() : null;
}
