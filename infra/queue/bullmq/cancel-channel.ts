import type { Redis } from 'ioredis';

export interface CancelMessage {
  queue: string;
  id: string;
  reason: string;
}

type Listener = (message: CancelMessage) => void;

/**
 * Cancels of running jobs, broadcast to every worker process over Redis pub/sub; the one that
 * holds the job aborts it. Delivery is at most once (a process reconnecting misses what was
 * sent meanwhile), so workers also read the cancel flag of their running jobs on each tick.
 */
export class CancelChannel {
  private readonly listeners = new Set<Listener>();
  private subscriber: Redis | undefined;
  private subscribing: Promise<void> | undefined;

  constructor(
    private readonly publisher: Redis,
    private readonly openSubscriber: () => Redis,
    private readonly channel: string,
  ) {}

  async publish(message: CancelMessage): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(message));
  }

  /** Resolves once subscribed; the returned function stops listening. */
  async listen(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    this.subscribing ??= this.subscribe();
    await this.subscribing;
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.subscribing = undefined;
  }

  private async subscribe(): Promise<void> {
    const subscriber = this.openSubscriber();
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, raw: string) => {
      let message: CancelMessage;
      try {
        message = JSON.parse(raw) as CancelMessage;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(message);
    });
    // ioredis subscribes again by itself after a reconnect.
    await subscriber.subscribe(this.channel);
  }
}
