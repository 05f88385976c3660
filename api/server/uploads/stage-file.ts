import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tooLarge } from './upload-errors';

export interface StagedBytes {
  size: number;
  sha256: string;
}

/**
 * Streams one file part to `path`, counting and hashing on the way; refuses it as soon as it
 * passes `maxBytes`. Settles only once the file is closed, so whoever deletes it afterwards
 * cannot race a late open.
 */
export async function stageFile(part: Readable, path: string, maxBytes: number, field: string): Promise<StagedBytes> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge(`file "${field}" is larger than the upload limit of ${maxBytes} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // 'wx': a name collision must fail rather than write into someone else's file.
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  try {
    await pipeline(part, meter, out);
  } catch (error) {
    await closed(out);
    throw error;
  }
  return { size, sha256: hash.digest('hex') };
}

function closed(stream: WriteStream): Promise<void> {
  if (stream.closed) return Promise.resolve();
  if (!stream.destroyed) stream.destroy();
  return new Promise((resolve) => stream.once('close', () => resolve()));
}
