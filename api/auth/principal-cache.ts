/**
 * Remembers who a bearer token is for a few seconds, so a hot path (a dashboard's cached
 * results) does not read the session from the database on every request. Whatever changes a
 * principal — logout, a revoked token, a changed or removed membership — drops the cached
 * entries of that organization in every API process at once (pub/sub), so the cache never
 * lets a revoked credential in for longer than a message takes.
 */
import { AUTH_CHANGED_TOPIC } from '../../schema/jobs/run-job';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../schema/database';
import { hashToken } from '../../schema/secrets';
import type { PubSub } from '../../infra/pubsub/pubsub';
import { authenticate, type Authentication } from './authenticate';
import { tokenKind } from './tokens';

const TOPIC = AUTH_CHANGED_TOPIC;

export class PrincipalCache {
  readonly #entries = new LRUCache<string, Authentication & { principal: NonNullable<Authentication['principal']> }>({ max: 20_000, ttl: 10_000 });

  private constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
  ) {}

  static async start(db: Db, pubsub: PubSub): Promise<PrincipalCache> {
    const cache = new PrincipalCache(db, pubsub);
    await pubsub.subscribe(TOPIC, (message) => cache.#drop(message));
    return cache;
  }

  async authenticate(authorization: string | null): Promise<Authentication> {
    const token = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] : undefined;
    // Display tokens are not cached: what a wall may see follows its dashboards' edits.
    const cacheable = token !== undefined && (tokenKind(token) === 'session' || tokenKind(token) === 'apiToken');
    const key = cacheable ? hashToken(token) : null;
    const hit = key ? this.#entries.get(key) : undefined;
    if (hit) return hit;
    const result = await authenticate(this.db, authorization);
    if (key && result.principal) this.#entries.set(key, { principal: result.principal });
    return result;
  }

  /** Something about this organization's principals changed: forget them everywhere. */
  async changed(organizationId: string): Promise<void> {
    this.#drop(organizationId);
    await this.pubsub.publish(TOPIC, organizationId);
  }

  #drop(organizationId: string): void {
    for (const [key, entry] of this.#entries.entries()) {
      if (entry.principal.organizationId === organizationId) this.#entries.delete(key);
    }
  }
}
