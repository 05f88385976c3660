/**
 * Fans job events out to the listeners of this process: one pub/sub subscription per topic
 * however many listeners, and each message parsed once for all of them.
 */
import type { PubSub, Unsubscribe } from '../../infra/pubsub/pubsub';

export class EventHub<T> {
  readonly #topics = new Map<string, { listeners: Set<(event: T) => void>; ready: Promise<Unsubscribe> }>();

  constructor(private readonly pubsub: PubSub) {}

  /** Resolves once the topic is subscribed: nothing published afterwards is missed. */
  async listen(topic: string, listener: (event: T) => void): Promise<() => void> {
    let entry = this.#topics.get(topic);
    if (!entry) {
      const listeners = new Set<(event: T) => void>();
      const ready = this.pubsub.subscribe(topic, (message) => {
        let event: T;
        try {
          event = JSON.parse(message) as T;
        } catch {
          return;
        }
        for (const l of listeners) l(event);
      });
      entry = { listeners, ready };
      this.#topics.set(topic, entry);
    }
    entry.listeners.add(listener);
    await entry.ready;
    const current = entry;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.#topics.get(topic) === current) {
        this.#topics.delete(topic);
        void current.ready.then((unsubscribe) => unsubscribe()).catch(() => {});
      }
    };
  }

  get topicCount(): number {
    return this.#topics.size;
  }
}
