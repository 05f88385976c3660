/** Calendar dates and ISO 8601 date-times as JSON APIs send them, checked for real dates. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

function isRealDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `YYYY-MM-DD` naming a day that exists. */
export function isIsoDate(text: string): boolean {
  const match = DATE.exec(text);
  return match !== null && isRealDate(match[1] as string, match[2] as string, match[3] as string);
}

/**
 * The date-time in the one form the warehouse takes (`YYYY-MM-DDTHH:MM:SS[.fff]±HH:MM` or `Z`),
 * or undefined when `text` is not one. Sub-second digits are kept as written. A date-time
 * without an offset is read as UTC: APIs that omit it almost always mean UTC, and a server's
 * local zone would make the same source load differently on different machines.
 */
export function normalizeIsoDateTime(text: string): string | undefined {
  const m = DATE_TIME.exec(text);
  if (m === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = m;
  if (!isRealDate(year as string, month as string, day as string)) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? '0') > 59) return undefined;
  let offset = 'Z';
  if (zulu === undefined && sign !== undefined) {
    const oh = offsetHours as string;
    const om = offsetMinutes ?? '00';
    if (Number(oh) > 23 || Number(om) > 59) return undefined;
    offset = `${sign}${oh}:${om}`;
  }
  return `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction ?? ''}${offset}`;
}
