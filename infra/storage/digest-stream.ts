import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { PutResult } from './file-storage';

/**
 * A pass-through that hashes and counts what flows through it, so a put learns its size and
 * SHA-256 in the same pass that stores the bytes, without holding them.
 */
export function createDigestStream(): { stream: Transform; result(): PutResult } {
  const hash = createHash('sha256');
  let size = 0;
  let sha256: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return {
    stream,
    result() {
      // digest() may be called once only; the result is asked for after the stream ended.
      sha256 ??= hash.digest('hex');
      return { size, sha256 };
    },
  };
}
