import { join, resolve } from 'node:path';
import type { FileStorage } from './file-storage';
import { createLocalStorage } from './local-storage';
import { createS3Storage } from './s3-storage';
import { StorageError } from './storage-error';
import { assertStorageKey } from './storage-key';

export type StorageEnv = Readonly<Record<string, string | undefined>>;

/**
 * Picks the file storage the deployment asked for (variables listed in the README).
 * An empty variable counts as unset, as compose files often leave them.
 */
export function storageFromEnv(env: StorageEnv = process.env): FileStorage {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const require = (name: string, why: string): string => {
    const value = get(name);
    if (value === undefined) throw configError(`${name} is not set; it is required ${why}`);
    return value;
  };

  const kind = get('STORAGE') ?? 'local';
  if (kind === 'local') {
    return createLocalStorage({ root: resolve(get('STORAGE_DIR') ?? join(get('DATA_DIR') ?? './data', 'files')) });
  }
  if (kind !== 's3') throw configError(`STORAGE must be "local" or "s3", got ${JSON.stringify(kind)}`);

  const endpoint = get('S3_ENDPOINT');
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    throw configError(`S3_ENDPOINT must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  // A self-hosted service has no regions to speak of, but the signature needs one.
  const region = endpoint === undefined ? require('S3_REGION', 'with STORAGE=s3 on AWS (no S3_ENDPOINT)') : (get('S3_REGION') ?? 'us-east-1');
  const forcePathStyle = get('S3_FORCE_PATH_STYLE');
  if (forcePathStyle !== undefined && forcePathStyle !== 'true' && forcePathStyle !== 'false') {
    throw configError(`S3_FORCE_PATH_STYLE must be "true" or "false", got ${JSON.stringify(forcePathStyle)}`);
  }
  const prefix = get('S3_PREFIX');
  if (prefix !== undefined) {
    try {
      assertStorageKey(prefix.replace(/\/+$/, ''), 'S3_PREFIX');
    } catch (err) {
      throw configError((err as Error).message);
    }
  }
  return createS3Storage({
    ...(endpoint !== undefined ? { endpoint } : {}),
    region,
    bucket: require('S3_BUCKET', 'with STORAGE=s3'),
    accessKeyId: require('S3_ACCESS_KEY_ID', 'with STORAGE=s3'),
    secretAccessKey: require('S3_SECRET_ACCESS_KEY', 'with STORAGE=s3'),
    // Self-hosted services rarely have a wildcard DNS name per bucket.
    forcePathStyle: forcePathStyle === undefined ? endpoint !== undefined : forcePathStyle === 'true',
    ...(prefix !== undefined ? { prefix } : {}),
  });
}

function configError(message: string): StorageError {
  return new StorageError('INVALID_CONFIG', `file storage configuration: ${message}`);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
