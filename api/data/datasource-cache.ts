/**
 * Datasource rows for the query path, kept for a few seconds: a dashboard's twenty cached
 * widgets then cost no metadata query each. Every change to a datasource (settings, formulas,
 * data version, deletion) is announced on one topic that drops the row in every API process.
 */
import { eq } from "drizzle-orm";
import { LRUCache } from 'lru-cache';
import type { Db } from '../../schema/database';
import { datasources } from '../../schema/tables';
import { DATASOURCE_CHANGES_TOPIC } from '../../schema/jobs/query-job-contract';
import type { PubSub } from '../../infra/pubsub/pubsub';
import { isUuid } from '../graphql/ids';

export type DatasourceRow = typeof datasources.$inferSelect;

export class DatasourceCache {
  readonly #rows = new LRUCache<string, DatasourceRow>({ max: 10_000, ttl: 10_000 });

  private constructor(private readonly db: Db) {}

  static async start(db: Db, pubsub: PubSub): Promise<DatasourceCache> {
    const cache = new DatasourceCache(db);
    await pubsub.subscribe(DATASOURCE_CHANGES_TOPIC, (message) => {
      try {
        cache.#rows.delete((JSON.parse(message) as { datasourceId: string }).datasourceId);
      } catch {
        cache.#rows.clear();
      }
    });
    return cache;
  }

  /** The row, if it belongs to the organization; null otherwise (as if it did not exist). */
  async get(organizationId: string, id: string): Promise<DatasourceRow | null> {
    if (!isUuid(id)) return null;
    let row = this.#rows.get(id);
    if (!row) {
      [row] = await this.db.select().from(datasources).where(eq(datasources.id, id)).limit(1);
      if (!row) return null;
      this.#rows.set(id, row);
    }
    return row.organizationId === organizationId ? row : null;
  }

  forget(id: string): void {
    this.#rows.delete(id);
  }
}

