import type { z } from 'zod';
import { fromZodIssues } from './errors';

/** Parses with zod; a failure is BAD_USER_INPUT naming the first offending path under `field`. */
export function check<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZodIssues(r.error.issues, field);
  return r.data;
}
