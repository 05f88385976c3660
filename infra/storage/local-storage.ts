import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createDigestStream } from './digest-stream';
import type { FileStat, FileStorage } from './file-storage';
import {
  NO_FOLLOW,
  backendFailure,
  ensureKeyPath,
  existingKeyPath,
  isMissing,
  isSymlinkRefusal,
  lstatEntry,
  prepareRoot,
  type KeyPath,
} from './local-paths';
import { watchPutFailure } from './put-failure';
import { StorageError } from './storage-error';
import { assertStorageKey } from './storage-key';

export interface LocalStorageOptions {
  /** The folder every key lives under; created 0700 on first use. */
  root: string;
}

/**
 * Files in a folder: the embedded mode, or a volume shared by every process. A put writes a
 * temporary file next to its target and renames it into place, so readers see the old file or
 * the whole new one. Temporary names contain `~`, which no key may, so they never collide with
 * a key, and a crash can leave only those behind.
 */
export function createLocalStorage(options: LocalStorageOptions): FileStorage {
  const where = `local storage ${options.root}`;
  let rootReady: Promise<string> | undefined;
  const realRoot = (): Promise<string> => {
    rootReady ??= prepareRoot(options.root).catch((err: unknown) => {
      rootReady = undefined; // let a later call retry once the folder is fixed
      throw err;
    });
    return rootReady;
  };

  const notFound = (key: string) => new StorageError('NOT_FOUND', `no file ${JSON.stringify(key)} in ${where}`, { key });
  const unsafe = (key: string) =>
    new StorageError('UNSAFE_PATH', `storage key ${JSON.stringify(key)} in ${where} is a symlink; it is not followed`, { key });

  /** The key's path for a read, or NOT_FOUND. */
  async function readPath(key: string): Promise<KeyPath> {
    assertStorageKey(key);
    const path = await existingKeyPath(await realRoot(), key);
    if (!path) throw notFound(key);
    return path;
  }

  async function statOf(key: string): Promise<FileStat> {
    const path = await readPath(key);
    const entry = await lstatEntry(path).catch((err: unknown) => {
      throw backendFailure(path.dir, key, err);
    });
    if (!entry || entry.isDirectory()) throw notFound(key);
    if (entry.isSymbolicLink()) throw unsafe(key);
    return { size: entry.size, modifiedAt: entry.mtime };
  }

  return {
    async put(key, body, putOptions = {}) {
      const { signal } = putOptions;
      const failure = watchPutFailure(body, signal);
      let tempPath: string | undefined;
      let handle: FileHandle | undefined;
      try {
        assertStorageKey(key);
        signal?.throwIfAborted();
        const root = await realRoot();
        const path = await ensureKeyPath(root, key);
        tempPath = join(path.dir, `.~put-${randomBytes(12).toString('hex')}`);
        try {
          handle = await open(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
        } catch (err) {
          failure.backendFailed();
          throw err;
        }
        const digest = createDigestStream();
        // The stream owns the handle from here and closes it, after an fsync (`flush`): the
        // data must be on disk before the rename, or a crash could leave the key naming an
        // empty file.
        const file = handle.createWriteStream({ flush: true });
        handle = undefined;
        file.on('error', () => failure.backendFailed());
        await pipeline(body, digest.stream, file, signal ? { signal } : {});
        signal?.throwIfAborted();
        try {
          await rename(tempPath, join(path.dir, path.name));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EISDIR' || (err as NodeJS.ErrnoException).code === 'ENOTEMPTY') {
            throw new StorageError('KEY_CONFLICT', `cannot store ${JSON.stringify(key)} in ${where}: a folder of that name holds other keys`, { key, cause: err });
          }
          failure.backendFailed();
          throw err;
        }
        tempPath = undefined;
        return digest.result();
      } catch (err) {
        body.destroy();
        throw failure.error(key, where, err);
      } finally {
        await handle?.close().catch(() => {});
        if (tempPath) await rm(tempPath, { force: true }).catch(() => {});
      }
    },

    async get(key) {
      const path = await readPath(key);
      let handle: FileHandle;
      try {
        handle = await open(join(path.dir, path.name), constants.O_RDONLY | NO_FOLLOW);
      } catch (err) {
        if (isMissing(err)) throw notFound(key);
        if (isSymlinkRefusal(err)) throw unsafe(key);
        throw backendFailure(path.dir, key, err);
      }
      const entry = await handle.stat().catch(async (err: unknown) => {
        await handle.close();
        throw backendFailure(path.dir, key, err);
      });
      if (!entry.isFile()) {
        await handle.close();
        throw notFound(key);
      }
      return handle.createReadStream();
    },

    stat: statOf,

    async exists(key) {
      try {
        await statOf(key);
        return true;
      } catch (err) {
        if (err instanceof StorageError && err.code === 'NOT_FOUND') return false;
        throw err;
      }
    },

    async delete(key) {
      assertStorageKey(key);
      const path = await existingKeyPath(await realRoot(), key);
      if (!path) return;
      try {
        const entry = await lstatEntry(path);
        // A folder at the key holds other keys, not this one: nothing to delete.
        if (!entry || entry.isDirectory()) return;
        // unlink removes a planted symlink itself, never what it points to.
        await unlink(join(path.dir, path.name));
      } catch (err) {
        if (isMissing(err)) return;
        throw backendFailure(path.dir, key, err);
      }
    },
  };
}
