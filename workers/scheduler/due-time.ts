import { CronExpressionParser } from 'cron-parser';

/**
 * The latest scheduled time at or before `now` that is after `since`, or null. Only the latest:
 * a scheduler that was down for a day fires a missed hourly schedule once, not 24 times.
 */
export function dueTime(expression: string, timezone: string, since: Date, now: Date): Date | null {
  try {
    const prev = CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date(now.getTime() + 1) }).prev().toDate();
    return prev.getTime() > since.getTime() ? prev : null;
  } catch {
    return null;
  }
}
