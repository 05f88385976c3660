/**
 * Topics carrying job events and change signals between processes. Delivery is at most once:
 * whoever must not miss an end reads the current state from storage after subscribing.
 */
export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  publish(topic: string, message: string): Promise<void>;
  /** Resolves once the subscription is active, so nothing published after it is missed. */
  subscribe(topic: string, onMessage: (message: string) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}
