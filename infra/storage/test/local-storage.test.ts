import { lstat, mkdir, mkdtemp, readFile, readdir, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileStorage } from '../file-storage';
import { createLocalStorage } from '../local-storage';
import { MiB, body, bodyWithHook, expectedSha256, failingBody, sha256Of } from './bodies';
import { describeFileStorageContract, expectStorageError } from './contract';

async function tempFolder(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sightline-${name}-`));
}

/** Every path under `dir`, relative, folders with a trailing `/`. */
async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((e) => join(e.parentPath, e.name).slice(dir.length + 1) + (e.isDirectory() ? '/' : '')).sort();
}

describeFileStorageContract('local folder', async () => {
  const root = join(await tempFolder('storage'), 'files');
  return { storage: createLocalStorage({ root }), cleanup: () => rm(join(root, '..'), { recursive: true, force: true }) };
});

describe('local storage', () => {
  let base: string;
  let root: string;
  let outside: string;
  let storage: FileStorage;
  beforeEach(async () => {
    base = await realpath(await tempFolder('storage'));
    root = join(base, 'root');
    outside = join(base, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), 'outside the root');
    storage = createLocalStorage({ root });
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('creates the root and folders 0700 and files 0600, and leaves no temporary file', async () => {
    await storage.put('org-1/uploads/data.csv', body(1000));
    for (const dir of [root, join(root, 'org-1'), join(root, 'org-1/uploads')]) {
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
    }
    expect((await stat(join(root, 'org-1/uploads/data.csv'))).mode & 0o777).toBe(0o600);
    expect(await listTree(root)).toEqual(['org-1/', 'org-1/uploads/', 'org-1/uploads/data.csv']);
  });

  it('leaves no temporary file behind a failed or aborted put', async () => {
    await storage.put('keep.bin', body(1000));
    await expectStorageError(storage.put('keep.bin', failingBody(2 * MiB, MiB)), 'BODY_FAILED');
    await expectStorageError(storage.put('gone/new.bin', failingBody(2 * MiB, MiB)), 'BODY_FAILED');
    const controller = new AbortController();
    const input = bodyWithHook(2 * MiB, MiB, () => controller.abort());
    await expectStorageError(storage.put('keep.bin', input, { signal: controller.signal }), 'ABORTED');
    expect((await listTree(root)).filter((p) => !p.endsWith('/'))).toEqual(['keep.bin']);
  });

  it('does not follow a symlink planted at a key to a file outside the root', async () => {
    await mkdir(root, { recursive: true });
    await symlink(join(outside, 'secret.txt'), join(root, 'planted.txt'));

    await expectStorageError(storage.get('planted.txt'), 'UNSAFE_PATH');
    await expectStorageError(storage.stat('planted.txt'), 'UNSAFE_PATH');
    await expectStorageError(storage.exists('planted.txt'), 'UNSAFE_PATH');

    // A put replaces the link itself; the file it pointed to is untouched.
    await storage.put('planted.txt', body(500, 7));
    expect((await lstat(join(root, 'planted.txt'))).isSymbolicLink()).toBe(false);
    expect(await sha256Of(await storage.get('planted.txt'))).toEqual({ size: 500, sha256: expectedSha256(500, 7) });
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside the root');
  });

  it('removes a planted symlink, never its target', async () => {
    await mkdir(root, { recursive: true });
    await symlink(join(outside, 'secret.txt'), join(root, 'planted.txt'));
    await storage.delete('planted.txt');
    await expect(lstat(join(root, 'planted.txt'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside the root');
  });

  it('does not follow a symlinked folder out of the root', async () => {
    await mkdir(root, { recursive: true });
    await symlink(outside, join(root, 'linked'));

    await expectStorageError(storage.get('linked/secret.txt'), 'UNSAFE_PATH');
    await expectStorageError(storage.stat('linked/secret.txt'), 'UNSAFE_PATH');
    await expectStorageError(storage.delete('linked/secret.txt'), 'UNSAFE_PATH');
    const input = body(500);
    await expectStorageError(storage.put('linked/new.txt', input), 'UNSAFE_PATH');
    expect(input.destroyed).toBe(true);
    await expectStorageError(storage.put('linked/deeper/new.txt', body(500)), 'UNSAFE_PATH');
    expect(await readdir(outside)).toEqual(['secret.txt']);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside the root');
  });

  it('follows a symlinked folder that stays inside the root', async () => {
    await mkdir(join(root, 'real'), { recursive: true });
    await symlink(join(root, 'real'), join(root, 'alias'));
    await storage.put('alias/a.txt', body(100));
    expect(await storage.exists('real/a.txt')).toBe(true);
  });

  it('accepts a root that is itself a symlink', async () => {
    await mkdir(root);
    await symlink(root, join(base, 'root-link'));
    const linked = createLocalStorage({ root: join(base, 'root-link') });
    await linked.put('x/y.txt', body(100));
    expect(await storage.exists('x/y.txt')).toBe(true);
  });

  it('refuses a key whose folder is a file, and a file where a folder of keys is', async () => {
    await storage.put('report', body(100));
    const err = await expectStorageError(storage.put('report/page-1.pdf', body(100)), 'KEY_CONFLICT');
    expect(err.message).toContain('report');
    await expectStorageError(storage.get('report/page-1.pdf'), 'NOT_FOUND');

    await storage.put('exports/a.pdf', body(100));
    await expectStorageError(storage.put('exports', body(100)), 'KEY_CONFLICT');
    await expectStorageError(storage.get('exports'), 'NOT_FOUND');
    expect(await storage.exists('exports')).toBe(false);
    await storage.delete('exports');
    expect(await storage.exists('exports/a.pdf')).toBe(true);
  });
});
