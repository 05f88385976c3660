/**
 * A report recipient's credential carries filter values; every query made with it gets them
 * added, server-side, so the page being rendered cannot show anything else — whatever the
 * dashboard's own queries ask for. A widget whose datasource lacks the field fails (unknown
 * field) rather than showing unfiltered figures.
 */
import type { Principal } from '../auth/principal';

export function withForcedFilters(principal: Principal, query: unknown): unknown {
  const forced = principal.display?.filters ?? [];
  if (forced.length === 0 || query === null || typeof query !== 'object' || Array.isArray(query)) return query;
  const q = query as { filters?: unknown };
  const own = Array.isArray(q.filters) ? q.filters : q.filters === undefined ? [] : [q.filters];
  return { ...q, filters: [...own, ...forced.map((f) => ({ field: f.field, op: 'in', values: f.values }))] };
}
