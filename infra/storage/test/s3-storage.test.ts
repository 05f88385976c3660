import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../s3-storage';
import { storageFromEnv } from '../storage-from-env';
import { body, expectedSha256, sha256Of } from './bodies';
import { describeFileStorageContract, expectStorageError } from './contract';
import { S3RVER_CREDENTIALS, startTestS3, type TestS3 } from './s3-server';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.close();
});

describeFileStorageContract('S3 (s3rver)', async () => ({
  storage: createS3Storage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, forcePathStyle: true, prefix: 'contract', ...S3RVER_CREDENTIALS }),
  cleanup: async () => {},
}));

describe('S3 storage', () => {
  it('stores keys under the prefix, with the content type', async () => {
    const storage = createS3Storage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, forcePathStyle: true, prefix: 'tenants/', ...S3RVER_CREDENTIALS });
    await storage.put('org-1/logo.png', body(1000), { contentType: 'image/png' });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'tenants/org-1/logo.png' }));
    expect(head.ContentLength).toBe(1000);
    expect(head.ContentType).toBe('image/png');
  });

  it('is built from the S3_* variables', async () => {
    const storage = storageFromEnv({
      STORAGE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      S3_PREFIX: 'from-env',
    });
    await storage.put('a.txt', body(2000, 9));
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'from-env/a.txt' }));
    expect(await sha256Of(object.Body as Readable)).toEqual({ size: 2000, sha256: expectedSha256(2000, 9) });
  });

  it('reports a missing bucket as a backend failure, not as a missing key', async () => {
    const storage = createS3Storage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: 'no-such-bucket', forcePathStyle: true, ...S3RVER_CREDENTIALS });
    const err = await expectStorageError(storage.get('a.txt'), 'BACKEND_FAILED');
    expect(err.message).toContain('s3://no-such-bucket/');
    await expectStorageError(storage.put('a.txt', body(10)), 'BACKEND_FAILED');
  });
});
