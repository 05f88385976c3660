/**
 * Tells open wall displays (and editors) that a dashboard or playlist changed, across API
 * processes, so walls update without a reload.
 */
import type { PubSub } from '../../infra/pubsub/pubsub';
import { AsyncInbox } from '../jobs/async-inbox';
import { EventHub } from '../jobs/event-hub';

export interface ContentChange {
  kind: 'dashboard' | 'playlist' | 'displayToken';
  /** Row id of what changed. */
  id: string;
}

const topic = (organizationId: string) => `sl:content:${organizationId}`;

export class ContentEvents {
  readonly #hub: EventHub<ContentChange>;

  constructor(private readonly pubsub: PubSub) {
    this.#hub = new EventHub(pubsub);
  }

  async publish(organizationId: string, change: ContentChange): Promise<void> {
    await this.pubsub.publish(topic(organizationId), JSON.stringify(change));
  }

  /** Changes of one organization, until `closed` aborts. */
  async listen(organizationId: string, closed: AbortSignal): Promise<{ inbox: AsyncInbox<ContentChange>; stop: () => void }> {
    const inbox = new AsyncInbox<ContentChange>(256, closed);
    const stop = await this.#hub.listen(topic(organizationId), (c) => inbox.push(c));
    return { inbox, stop };
  }
}
