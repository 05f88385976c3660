import { EventEmitter } from 'node:events';
import type { PubSub } from './pubsub';

/** One process: topics are events of an emitter. */
export function createMemoryPubSub(): PubSub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(topic, message) {
      // Asynchronous like the network, so publishers never run subscribers' code inline.
      queueMicrotask(() => emitter.emit(topic, message));
    },
    async subscribe(topic, onMessage) {
      emitter.on(topic, onMessage);
      return async () => {
        emitter.off(topic, onMessage);
      };
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
