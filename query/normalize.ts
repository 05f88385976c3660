/** Canonical JSON of a query, for cache keys: defaults filled, keys sorted. */
import type { FilterSpec, QuerySpec } from './validate/query-spec';
import { DEFAULT_LIMIT } from './validate/query-spec';
import { validateQueryShape } from './validate/validate-query';

function filterJson(f: FilterSpec): unknown {
  switch (f.kind) {
    case 'and': case 'or': return { [f.kind]: f.items.map(filterJson) };
    case 'not': return { not: filterJson(f.item) };
    case 'condition': {
      const base = { field: f.field, op: f.op };
      if (f.op === 'is_null' || f.op === 'is_not_null') return base;
      if (f.op === 'in' || f.op === 'not_in' || f.op === 'between') return { ...base, values: f.values };
      return { ...base, value: f.values[0] };
    }
  }
}

function specJson(s: QuerySpec): unknown {
  const opt = <T>(key: string, v: T | undefined) => (v === undefined ? {} : { [key]: v });
  return {
    dimensions: s.dimensions.map((d) => ({ field: d.field, ...opt('granularity', d.granularity), ...opt('as', d.as) })),
    measures: s.measures.map((m) =>
      m.kind === 'formula' ? { formula: m.formula, ...opt('as', m.as) } : { agg: m.agg, ...opt('field', m.field), ...opt('as', m.as) }),
    filters: s.filters.map(filterJson),
    having: s.having.map(filterJson),
    orderBy: s.orderBy.map((o) => ({ field: o.field, dir: o.dir })),
    limit: s.limit ?? DEFAULT_LIMIT,
    offset: s.offset,
    timezone: s.timezone,
  };
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The canonical JSON string of a query (throws QueryError when its shape is invalid). Two
 * queries with the same meaning in different spellings (key order, defaults, a time-zone
 * link) give the same string. Names are not resolved: the cache key also holds the datasource.
 */
export function normalizeQuery(query: unknown): string {
  return stable(specJson(validateQueryShape(query)));
}
