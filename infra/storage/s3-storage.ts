import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDigestStream } from './digest-stream';
import type { FileStat, FileStorage } from './file-storage';
import { watchPutFailure } from './put-failure';
import { StorageError, causeMessage } from './storage-error';
import { assertStorageKey } from './storage-key';

export interface S3StorageOptions {
  /** An S3-compatible service (MinIO, R2, …); AWS itself when absent. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`; most self-hosted services need it. */
  forcePathStyle?: boolean;
  /** Keys are stored under this folder of the bucket (`a-z0-9._-` segments, like keys). */
  prefix?: string;
}

// Parts are buffered in memory, up to PART_SIZE × QUEUE_SIZE bytes per put in flight.
const PART_SIZE = 5 * 1024 * 1024; // S3's minimum part size
const QUEUE_SIZE = 2;

/**
 * An S3 bucket. A put streams through a multipart upload that S3 only turns into an object on
 * completion, and aborts on failure, so it is atomic without any temporary object of ours.
 */
export function createS3Storage(options: S3StorageOptions): FileStorage {
  const prefix = normalizePrefix(options.prefix);
  const { bucket } = options;
  const where = `s3://${bucket}/${prefix}`;
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Since SDK 3.729 every upload carries a CRC32 checksum that several S3-compatible services
    // (R2, B2, older MinIO) refuse; AWS takes it, and we hash every put ourselves anyway.
    ...(options.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  });

  const objectKey = (key: string) => {
    assertStorageKey(key);
    return prefix + key;
  };
  const failure = (key: string, action: string, err: unknown): StorageError => {
    if (isNotFound(err)) return new StorageError('NOT_FOUND', `no file ${JSON.stringify(key)} in ${where}`, { key, cause: err });
    return new StorageError('BACKEND_FAILED', `${action} ${JSON.stringify(key)} in ${where} failed: ${s3Message(err)}`, { key, cause: err });
  };

  async function statOf(key: string): Promise<FileStat> {
    const Key = objectKey(key);
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
      return { size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (err) {
      throw failure(key, 'reading the size of', err);
    }
  }

  return {
    async put(key, body, putOptions = {}) {
      const { signal, contentType } = putOptions;
      const watch = watchPutFailure(body, signal);
      try {
        const Key = objectKey(key);
        signal?.throwIfAborted();
        const digest = createDigestStream();
        const upload = new Upload({
          client,
          params: { Bucket: bucket, Key, Body: digest.stream, ...(contentType ? { ContentType: contentType } : {}) },
          partSize: PART_SIZE,
          queueSize: QUEUE_SIZE,
          leavePartsOnError: false,
        });
        // The signal is not given to Upload: its abort() reports failure at once while a request
        // already sent may still complete the object. Cutting the body makes Upload fail and
        // abort the multipart upload itself; an abort after the last byte was read is too late,
        // and the put then completes and resolves.
        const piping = pipeline(body, digest.stream, signal ? { signal } : {});
        piping.catch(() => {}); // its failure is reported through the upload's
        try {
          await upload.done();
        } catch (err) {
          watch.backendFailed();
          digest.stream.destroy(); // S3 failed first: stop reading the body
          throw err;
        }
        await piping;
        return digest.result();
      } catch (err) {
        body.destroy();
        throw watch.error(key, where, err, s3Message);
      }
    },

    async get(key) {
      const Key = objectKey(key);
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
        if (!(response.Body instanceof Readable)) throw new Error('the response has no readable body');
        return response.Body;
      } catch (err) {
        throw failure(key, 'reading', err);
      }
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
      const Key = objectKey(key);
      try {
        // S3 answers 204 for an absent key too: idempotent by nature.
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
      } catch (err) {
        if (isNotFound(err)) return;
        throw failure(key, 'deleting', err);
      }
    },
  };
}

function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  try {
    assertStorageKey(trimmed, 'S3 prefix');
  } catch (err) {
    throw new StorageError('INVALID_CONFIG', (err as Error).message);
  }
  return trimmed + '/';
}

/** NoSuchKey from GET, a bare 404 from HEAD (which has no body to name the error). */
function isNotFound(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  if (err.name === 'NoSuchKey' || err.name === 'NotFound') return true;
  return err.$metadata.httpStatusCode === 404 && err.name !== 'NoSuchBucket';
}

function s3Message(err: unknown): string {
  if (err instanceof S3ServiceException) return `${err.name}: ${err.message}`;
  return causeMessage(err);
}
