/** Stable codes a storage failure is reported with; callers branch on these, never on messages. */
export const STORAGE_ERROR_CODES = [
  /** The key breaks the key rules (see `storage-key.ts`). */
  'INVALID_KEY',
  /** Nothing is stored under the key. */
  'NOT_FOUND',
  /** Local storage only: the key's path leads through a symlink or out of the root. */
  'UNSAFE_PATH',
  /** Local storage only: a folder stands where the key's file would go, or a file where a folder must. */
  'KEY_CONFLICT',
  /** The put's signal was aborted before the object was complete; nothing was stored. */
  'ABORTED',
  /** The body stream failed; nothing was stored. */
  'BODY_FAILED',
  /** The disk or the object store failed. */
  'BACKEND_FAILED',
  /** A setting is missing or malformed; the message names the variable or option. */
  'INVALID_CONFIG',
] as const;

export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  /** The key the operation was about, when there is one. */
  readonly key: string | undefined;

  constructor(code: StorageErrorCode, message: string, options: { key?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.key = options.key;
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

export function causeMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
