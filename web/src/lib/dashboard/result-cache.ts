/**
 * Results seen in this tab, shown at once when a widget comes back into view (then refreshed:
 * stale-while-revalidate). Bounded, oldest out first, so a long session does not grow.
 */
import type { ResultColumn } from '$sdk';

export interface CachedResult {
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
  at: number;
}

const MAX_ENTRIES = 100;
const cache = new Map<string, CachedResult>();

export function cacheKey(datasourceId: string, query: unknown): string {
  return `${datasourceId}\u0000${JSON.stringify(query)}`;
}

export function readCached(key: string): CachedResult | undefined {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

export function writeCached(key: string, value: CachedResult): void {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
}

export function clearCache(): void {
  cache.clear();
}
