import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { StorageError, causeMessage } from './storage-error';

/**
 * Where a key's file lives: the real (symlink-free) path of its folder, checked to be under
 * the root, and the file's own name, which callers must never follow (see `NO_FOLLOW`).
 */
export interface KeyPath {
  dir: string;
  name: string;
}

/** Added to every open of a key's file, so a symlink planted at the key is refused by the kernel. */
export const NO_FOLLOW: number = constants.O_NOFOLLOW ?? 0;

/** The root, created 0700 when absent, as a real path: every key's folder is compared to it. */
export async function prepareRoot(root: string): Promise<string> {
  try {
    await mkdir(root, { recursive: true, mode: 0o700 });
    return await realpath(root);
  } catch (err) {
    throw new StorageError('BACKEND_FAILED', `cannot prepare the storage folder ${root}: ${causeMessage(err)}`, { cause: err });
  }
}

/** For reads: the key's folder if it exists (null when it does not), verified to be under the root. */
export async function existingKeyPath(realRoot: string, key: string): Promise<KeyPath | null> {
  const segments = key.split('/');
  const name = segments.pop()!;
  if (segments.length === 0) return { dir: realRoot, name };
  let dir: string;
  try {
    dir = await realpath(join(realRoot, ...segments));
  } catch (err) {
    if (isMissing(err)) return null;
    throw backendFailure(realRoot, key, err);
  }
  assertUnderRoot(realRoot, dir, key);
  return { dir, name };
}

/**
 * For writes: creates the key's missing folders one at a time (0700), resolving each one before
 * creating the next inside it, so a symlinked folder can never make us create or write anything
 * outside the root.
 */
export async function ensureKeyPath(realRoot: string, key: string): Promise<KeyPath> {
  const segments = key.split('/');
  const name = segments.pop()!;
  let dir = realRoot;
  for (const segment of segments) {
    const next = join(dir, segment);
    try {
      await mkdir(next, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw backendFailure(realRoot, key, err);
    }
    let real: string;
    try {
      real = await realpath(next);
    } catch (err) {
      // A dangling symlink: mkdir saw it exist, realpath finds nothing behind it.
      throw new StorageError('UNSAFE_PATH', `storage key ${JSON.stringify(key)} leads through a broken link under ${realRoot}`, { key, cause: err });
    }
    assertUnderRoot(realRoot, real, key);
    if (!(await stat(real)).isDirectory()) {
      throw new StorageError('KEY_CONFLICT', `cannot store ${JSON.stringify(key)} under ${realRoot}: ${relative(realRoot, real)} is a file, not a folder`, { key });
    }
    dir = real;
  }
  return { dir, name };
}

/** lstat of the key's own file, never following it; null when there is no such entry. */
export async function lstatEntry(path: KeyPath): Promise<Stats | null> {
  try {
    return await lstat(join(path.dir, path.name));
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

export function assertUnderRoot(realRoot: string, realPath: string, key: string): void {
  const rel = relative(realRoot, realPath);
  if (rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel))) return;
  throw new StorageError('UNSAFE_PATH', `storage key ${JSON.stringify(key)} leads out of ${realRoot} (to ${realPath}) through a symlink`, { key });
}

/** ENOTDIR too: a file where a folder of the key should be means nothing is stored under it. */
export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** What O_NOFOLLOW reports for a symlink: ELOOP on Linux and macOS, EMLINK on some BSDs. */
export function isSymlinkRefusal(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ELOOP' || code === 'EMLINK';
}

export function backendFailure(realRoot: string, key: string, err: unknown): StorageError {
  return new StorageError('BACKEND_FAILED', `storage key ${JSON.stringify(key)} under ${realRoot}: ${causeMessage(err)}`, { key, cause: err });
}
