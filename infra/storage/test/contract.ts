import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStorage } from '../file-storage';
import { StorageError, type StorageErrorCode } from '../storage-error';
import { MiB, body, bodyWithHook, expectedSha256, failingBody, sha256Of } from './bodies';

export interface ContractSubject {
  storage: FileStorage;
  cleanup(): Promise<void>;
}

/** Big enough to stream through several S3 parts (5 MiB each) and many file writes. */
const BIG = 6 * MiB + 123;
const SMALL = 10_000;

export async function expectStorageError(promise: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected a StorageError ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageError);
  expect((err as StorageError).code).toBe(code);
  return err as StorageError;
}

async function contentOf(storage: FileStorage, key: string) {
  return sha256Of(await storage.get(key));
}

/** What every FileStorage must do, whatever its backend. */
export function describeFileStorageContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`FileStorage contract: ${name}`, () => {
    let subject: ContractSubject;
    let storage: FileStorage;
    beforeAll(async () => {
      subject = await setup();
      storage = subject.storage;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it('streams a multi-megabyte body in and out, with its size and sha256', async () => {
      const key = 'org-1/exports/2024-05/report.pdf';
      const result = await storage.put(key, body(BIG), { contentType: 'application/pdf' });
      const expected = { size: BIG, sha256: expectedSha256(BIG) };
      expect(result).toEqual(expected);
      expect(await contentOf(storage, key)).toEqual(expected);
      const stat = await storage.stat(key);
      expect(stat.size).toBe(BIG);
      expect(stat.modifiedAt).toBeInstanceOf(Date);
      expect(await storage.exists(key)).toBe(true);
    });

    it('stores an empty body', async () => {
      const result = await storage.put('empty.txt', Readable.from([]));
      expect(result).toEqual({ size: 0, sha256: expectedSha256(0) });
      expect(await contentOf(storage, 'empty.txt')).toEqual(result);
    });

    it('replaces an existing key', async () => {
      const key = 'overwrite/file.csv';
      await storage.put(key, body(BIG, 1));
      const second = await storage.put(key, body(SMALL, 2));
      expect(second).toEqual({ size: SMALL, sha256: expectedSha256(SMALL, 2) });
      expect(await contentOf(storage, key)).toEqual(second);
      expect((await storage.stat(key)).size).toBe(SMALL);
    });

    it('reports a missing key as NOT_FOUND, naming it', async () => {
      const err = await expectStorageError(storage.get('missing/nothing-here.bin'), 'NOT_FOUND');
      expect(err.message).toContain('missing/nothing-here.bin');
      expect(err.key).toBe('missing/nothing-here.bin');
      await expectStorageError(storage.stat('missing/nothing-here.bin'), 'NOT_FOUND');
      await expectStorageError(storage.get('nothing-here.bin'), 'NOT_FOUND');
      expect(await storage.exists('missing/nothing-here.bin')).toBe(false);
    });

    it('deletes idempotently', async () => {
      const key = 'delete/me.txt';
      await storage.put(key, body(SMALL));
      await storage.delete(key);
      expect(await storage.exists(key)).toBe(false);
      await expectStorageError(storage.get(key), 'NOT_FOUND');
      await storage.delete(key);
      await storage.delete('delete/never-existed.txt');
      await storage.delete('never-existed/at/all.txt');
    });

    it('refuses invalid keys with INVALID_KEY, in every method', async () => {
      const invalid = ['', '/abs.txt', 'trailing/', 'a//b', '..', '../up.txt', 'a/../b', 'a..b', './a', 'a/./b', 'Upper.txt', 'sp ace', 'back\\slash', 'caf\u00e9', 'nul\u0000', 'x'.repeat(256)];
      for (const key of invalid) {
        const input = body(SMALL);
        const err = await expectStorageError(storage.put(key, input), 'INVALID_KEY');
        expect(err.message).toContain(JSON.stringify(key));
        expect(input.destroyed).toBe(true);
        await expectStorageError(storage.get(key), 'INVALID_KEY');
        await expectStorageError(storage.stat(key), 'INVALID_KEY');
        await expectStorageError(storage.exists(key), 'INVALID_KEY');
        await expectStorageError(storage.delete(key), 'INVALID_KEY');
      }
    });

    it('leaves nothing when the body fails half-way, and keeps the previous object', async () => {
      await expectStorageError(storage.put('failed/new.bin', failingBody(BIG, BIG / 2 + 1)), 'BODY_FAILED');
      expect(await storage.exists('failed/new.bin')).toBe(false);

      const key = 'failed/existing.bin';
      const previous = await storage.put(key, body(SMALL, 3));
      // Past the first 5 MiB: on S3 a part is already uploaded when the body fails.
      const err = await expectStorageError(storage.put(key, failingBody(2 * BIG, BIG)), 'BODY_FAILED');
      expect(err.message).toContain(key);
      expect(err.message).toContain('the client went away');
      expect(await contentOf(storage, key)).toEqual(previous);
    });

    it('leaves nothing when aborted, and keeps the previous object', async () => {
      const key = 'aborted/existing.bin';
      const previous = await storage.put(key, body(SMALL, 4));
      const controller = new AbortController();
      const input = bodyWithHook(BIG, BIG / 2, () => controller.abort());
      await expectStorageError(storage.put(key, input, { signal: controller.signal }), 'ABORTED');
      expect(input.destroyed).toBe(true);
      expect(await contentOf(storage, key)).toEqual(previous);

      await expectStorageError(storage.put('aborted/new.bin', body(SMALL), { signal: AbortSignal.abort() }), 'ABORTED');
      expect(await storage.exists('aborted/new.bin')).toBe(false);
    });
  });
}
