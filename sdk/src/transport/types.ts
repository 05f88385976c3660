import type { TypedDocumentString } from '../generated/graphql.js';

/** A stream of events that stays open until the server ends it or `return()` is called. */
export interface EventStream<T> extends AsyncIterableIterator<T, void, undefined> {
  /** Stops the stream at once, even while a `next()` is pending (it then resolves as done). */
  return(): Promise<IteratorResult<T, void>>;
}

/** One-shot operations (queries and mutations) over HTTP. */
export interface RequestTransport {
  request<R, V>(document: TypedDocumentString<R, V>, variables: V, signal?: AbortSignal): Promise<R>;
}

/** Subscriptions over a socket that reconnects and re-subscribes by itself. */
export interface SubscriptionTransport {
  subscribe<R, V>(document: TypedDocumentString<R, V>, variables: V): EventStream<R>;
  dispose(): Promise<void>;
}
