/** The fields of datasources, fetched once per page load and shared by every widget editor. */
import type { SightlineClient } from '$sdk';
import { fieldsOf, type Fields } from '../api/datasources';

const cache = new Map<string, Promise<Fields | null>>();

export function loadFields(client: SightlineClient, datasourceId: string): Promise<Fields | null> {
  let hit = cache.get(datasourceId);
  if (!hit) {
    hit = fieldsOf(client, datasourceId);
    hit.catch(() => cache.delete(datasourceId));
    cache.set(datasourceId, hit);
  }
  return hit;
}

export function forgetFields(datasourceId: string): void {
  cache.delete(datasourceId);
}
