/**
 * A small key-value store with expiry: job snapshots, the result cache, single-flight claims
 * and subscriber counts. Redis in the distributed mode, memory in the embedded one.
 */
/** A value written with another one, in the same step. */
export interface KvEntry {
  key: string;
  value: string;
  ttlSeconds: number;
}

export interface KvStore {
  get(key: string): Promise<string | null>;
  /** Follows a pointer: the value stored at the key named by `key`'s value, in one round trip. */
  getVia(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /**
   * Sets `entry` (and `alongside`, in the same step) only if `version` is above the version
   * stored with it, or equal with the same value (a repeated write). Returns whether it was
   * written. Writers that race on one key thereby agree on a single winner per version.
   */
  setVersioned(entry: KvEntry, version: number, alongside?: readonly KvEntry[]): Promise<boolean>;
  /** Sets only when absent; returns the value that is there afterwards (ours or the winner's). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<{ won: boolean; value: string }>;
  /** Deletes only when the value is still `expected` (a claim released by its owner only). */
  deleteIf(key: string, expected: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds to an integer and returns the new value; the key expires after `ttlSeconds`. */
  increment(key: string, by: number, ttlSeconds: number): Promise<number>;
  close(): Promise<void>;
}
