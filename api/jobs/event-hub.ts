/**
 * Fans job events out to the listeners of this process: one pub/sub subscription per topic
 * however many listeners, and each message parsed once for all of them.
 *
 * With a watchdog, a topic quiet for `quietMs` is re-read from storage once and the stored
 * event handed to its listeners like a message, so an event lost while pub/sub reconnected
 * still arrives. One timer and one read per topic, not per listener: five thousand viewers of
 * one job cost one of each.
 */
import type { PubSub, Unsubscribe } from '../../infra/pubsub/pubsub';

export interface HubWatchdog<T> {
  quietMs: number;
  /** The topic's current event as stored, or null when there is none. */
  reread(topic: string): Promise<T | null>;
}

interface Topic<T> {
  listeners: Set<(event: T) => void>;
  ready: Promise<Unsubscribe>;
  lastHeardAt: number;
  timer: NodeJS.Timeout | null;
}

export class EventHub<T> {
  readonly #topics = new Map<string, Topic<T>>();

  constructor(
    private readonly pubsub: PubSub,
    private readonly watchdog?: HubWatchdog<T>,
  ) {}

  /** Resolves once the topic is subscribed: nothing published afterwards is missed. */
  async listen(topic: string, listener: (event: T) => void): Promise<() => void> {
    let entry = this.#topics.get(topic);
    if (!entry) {
      const listeners = new Set<(event: T) => void>();
      const created: Topic<T> = { listeners, ready: Promise.resolve(async () => {}), lastHeardAt: Date.now(), timer: null };
      created.ready = this.pubsub.subscribe(topic, (message) => {
        let event: T;
        try {
          event = JSON.parse(message) as T;
        } catch {
          return;
        }
        created.lastHeardAt = Date.now();
        for (const l of listeners) l(event);
      });
      entry = created;
      this.#topics.set(topic, entry);
      this.#arm(topic, entry, this.watchdog?.quietMs ?? 0);
    }
    entry.listeners.add(listener);
    await entry.ready;
    const current = entry;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.#topics.get(topic) === current) {
        this.#topics.delete(topic);
        if (current.timer) clearTimeout(current.timer);
        current.timer = null;
        void current.ready.then((unsubscribe) => unsubscribe()).catch(() => {});
      }
    };
  }

  /** Re-arms lazily: messages only stamp the time, the timer checks it when it fires. */
  #arm(topic: string, entry: Topic<T>, delayMs: number): void {
    const watchdog = this.watchdog;
    if (!watchdog) return;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (this.#topics.get(topic) !== entry) return;
      const quietFor = Date.now() - entry.lastHeardAt;
      if (quietFor < watchdog.quietMs) return this.#arm(topic, entry, watchdog.quietMs - quietFor);
      // A failed read (Redis restarting) is tried again next period.
      void watchdog
        .reread(topic)
        .catch(() => null)
        .then((event) => {
          if (this.#topics.get(topic) !== entry) return;
          entry.lastHeardAt = Date.now();
          if (event !== null) for (const l of entry.listeners) l(event);
          this.#arm(topic, entry, watchdog.quietMs);
        });
    }, delayMs);
    entry.timer.unref();
  }

  get topicCount(): number {
    return this.#topics.size;
  }
}
