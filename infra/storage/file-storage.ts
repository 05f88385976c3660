import type { Readable } from 'node:stream';

export interface PutOptions {
  /** Stored with the object where the backend keeps it (S3); local files do not record it. */
  contentType?: string;
  /** Aborting before the object is complete rejects with `ABORTED` and stores nothing. */
  signal?: AbortSignal;
}

export interface PutResult {
  /** Bytes stored. */
  size: number;
  /** Lowercase hex SHA-256 of the bytes stored, computed while they streamed through. */
  sha256: string;
}

export interface FileStat {
  size: number;
  modifiedAt: Date;
}

/**
 * Where uploaded files and exported PDFs live: a local folder in the embedded mode, an
 * S3-compatible bucket in the distributed one. Keys are `a-z0-9._-` segments joined by `/`
 * (see `assertStorageKey`); every method refuses other keys with `INVALID_KEY`.
 *
 * `put` either resolves, and then the whole body is stored under the key, or rejects, and then
 * the key holds exactly what it held before (nothing, or the previous object). Readers never
 * see a partial object.
 */
export interface FileStorage {
  /** Streams `body` in (memory use is bounded, whatever its size) and replaces the key when complete. */
  put(key: string, body: Readable, options?: PutOptions): Promise<PutResult>;
  /** The object's bytes; rejects with `NOT_FOUND` before any byte when the key is absent. */
  get(key: string): Promise<Readable>;
  /** Rejects with `NOT_FOUND` when the key is absent. */
  stat(key: string): Promise<FileStat>;
  /** Removes the object; deleting an absent key succeeds. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}
