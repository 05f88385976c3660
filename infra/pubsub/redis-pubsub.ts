import { Redis, type RedisOptions } from 'ioredis';
import type { PubSub } from './pubsub';

/**
 * Redis pub/sub: one subscriber connection per process, shared by all local listeners of a
 * topic (a thousand viewers of one job cost one SUBSCRIBE). ioredis re-subscribes by itself
 * after a reconnect; what was published meanwhile is lost, which callers cover by reading state.
 */
export function createRedisPubSub(url: string, options: RedisOptions & { prefix?: string } = {}): PubSub {
  // Channels carry the deployment's prefix, so deployments sharing a Redis never hear each other.
  const { prefix = '', ...redisOptions } = options;
  const channel = (topic: string) => prefix + topic;
  const publisher = new Redis(url, { maxRetriesPerRequest: null, ...redisOptions });
  // ioredis writes a SUBSCRIBE issued while a new connection is being checked (its INFO ready
  // check) before the check; the connection is then in subscriber mode, the check is refused,
  // and ioredis treats that as fatal. A process subscribing at start-up lost that race now and
  // then. A subscriber connection has no use for the check.
  const subscriber = new Redis(url, { maxRetriesPerRequest: null, ...redisOptions, enableReadyCheck: false });
  // Reconnection is ioredis' job; an error event without a listener would crash the process.
  publisher.on('error', () => {});
  subscriber.on('error', () => {});
  const listeners = new Map<string, Set<(message: string) => void>>();

  subscriber.on('message', (name: string, message: string) => {
    const set = listeners.get(name.slice(prefix.length));
    if (set) for (const l of set) l(message);
  });

  return {
    async publish(topic, message) {
      await publisher.publish(channel(topic), message);
    },
    async subscribe(topic, onMessage) {
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        await subscriber.subscribe(channel(topic));
      }
      set.add(onMessage);
      return async () => {
        const current = listeners.get(topic);
        if (!current) return;
        current.delete(onMessage);
        if (current.size === 0) {
          listeners.delete(topic);
          await subscriber.unsubscribe(channel(topic)).catch(() => {});
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
