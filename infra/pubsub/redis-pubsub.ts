import { Redis, type RedisOptions } from 'ioredis';
import type { PubSub } from './pubsub';

/**
 * Redis pub/sub: one subscriber connection per process, shared by all local listeners of a
 * topic (a thousand viewers of one job cost one SUBSCRIBE). ioredis re-subscribes by itself
 * after a reconnect; what was published meanwhile is lost, which callers cover by reading state.
 */
export function createRedisPubSub(url: string, options: RedisOptions = {}): PubSub {
  const publisher = new Redis(url, { maxRetriesPerRequest: null, ...options });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null, ...options });
  // Reconnection is ioredis' job; an error event without a listener would crash the process.
  publisher.on('error', () => {});
  subscriber.on('error', () => {});
  const listeners = new Map<string, Set<(message: string) => void>>();

  subscriber.on('message', (topic: string, message: string) => {
    const set = listeners.get(topic);
    if (set) for (const l of set) l(message);
  });

  return {
    async publish(topic, message) {
      await publisher.publish(topic, message);
    },
    async subscribe(topic, onMessage) {
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        await subscriber.subscribe(topic);
      }
      set.add(onMessage);
      return async () => {
        const current = listeners.get(topic);
        if (!current) return;
        current.delete(onMessage);
        if (current.size === 0) {
          listeners.delete(topic);
          await subscriber.unsubscribe(topic).catch(() => {});
        }
      };
    },
    async close() {
      listeners.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
