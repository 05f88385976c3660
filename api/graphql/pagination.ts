import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import type { PageArgs } from '../data/org-scoped';
import { badInput } from './errors';
import { isUuid } from './ids';

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const encodeCursor = (id: string) => Buffer.from(`c:${id}`).toString('base64url');

function decodeCursor(cursor: string | undefined, field: 'after' | 'before'): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith('c:') ? text.slice(2) : '';
  if (!isUuid(id)) throw badInput('is not a cursor returned by this list', field);
  return id;
}

/** Keyset pagination over time-ordered ids (newest first), for any org-scoped list. */
export function paginate<T extends { id: string }>(args: ConnectionArgs, load: (page: PageArgs) => Promise<T[]>) {
  for (const key of ['first', 'last'] as const) {
    const n = args[key];
    if (n != null && (n < 0 || n > 100)) throw badInput('must be between 0 and 100', key);
  }
  return resolveCursorConnection(
    { args, toCursor: (row: T) => encodeCursor(row.id), defaultSize: 20, maxSize: 100 },
    ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
      load({ before: decodeCursor(before, 'before'), after: decodeCursor(after, 'after'), limit, inverted }),
  );
}
