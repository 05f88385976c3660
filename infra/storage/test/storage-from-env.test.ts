import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../storage-error';
import { storageFromEnv, type StorageEnv } from '../storage-from-env';
import { body } from './bodies';
import { S3RVER_CREDENTIALS } from './s3-server';

function configErrorOf(env: StorageEnv): StorageError {
  try {
    storageFromEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('INVALID_CONFIG');
    return err as StorageError;
  }
  throw new Error('expected a configuration error');
}

const S3_ENV = {
  STORAGE: 's3',
  S3_REGION: 'eu-west-1',
  S3_BUCKET: 'files',
  S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
};

describe('storageFromEnv', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sightline-storage-env-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults to a local folder under <DATA_DIR>/files', async () => {
    const storage = storageFromEnv({ DATA_DIR: dir, STORAGE: '' });
    await storage.put('a/b.txt', body(10));
    expect((await readFile(join(dir, 'files/a/b.txt'))).length).toBe(10);
  });

  it('uses STORAGE_DIR when set', async () => {
    const storage = storageFromEnv({ STORAGE: 'local', STORAGE_DIR: join(dir, 'elsewhere'), DATA_DIR: join(dir, 'data') });
    await storage.put('c.txt', body(10));
    expect((await readFile(join(dir, 'elsewhere/c.txt'))).length).toBe(10);
  });

  it('accepts complete S3 settings', () => {
    expect(() => storageFromEnv(S3_ENV)).not.toThrow();
    expect(() => storageFromEnv({ ...S3_ENV, S3_REGION: undefined, S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'false', S3_PREFIX: 'prod/' })).not.toThrow();
  });

  it('names the variable that is missing or wrong', () => {
    expect(configErrorOf({ STORAGE: 'ftp' }).message).toMatch(/STORAGE must be "local" or "s3", got "ftp"/);
    for (const name of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_REGION'] as const) {
      expect(configErrorOf({ ...S3_ENV, [name]: undefined }).message).toMatch(new RegExp(`${name} is not set`));
      // An empty variable, as compose files leave them, is not set either.
      expect(configErrorOf({ ...S3_ENV, [name]: '' }).message).toMatch(new RegExp(`${name} is not set`));
    }
    expect(configErrorOf({ ...S3_ENV, S3_FORCE_PATH_STYLE: 'yes' }).message).toMatch(/S3_FORCE_PATH_STYLE must be "true" or "false"/);
    expect(configErrorOf({ ...S3_ENV, S3_ENDPOINT: 'minio:9000' }).message).toMatch(/S3_ENDPOINT must be an http\(s\) URL/);
    expect(configErrorOf({ ...S3_ENV, S3_PREFIX: '../other' }).message).toMatch(/S3_PREFIX/);
  });
});
