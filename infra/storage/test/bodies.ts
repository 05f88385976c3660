import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

export const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** Deterministic bytes, different per seed, made chunk by chunk so no test holds a whole body. */
function* chunks(size: number, seed: number): Generator<Buffer> {
  for (let offset = 0, index = 0; offset < size; offset += CHUNK, index++) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, size - offset));
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + index * 13 + seed * 101) & 0xff;
    yield chunk;
  }
}

/** A body of `size` bytes, read lazily. */
export function body(size: number, seed = 1): Readable {
  return Readable.from(chunks(size, seed), { objectMode: false });
}

/** A body that errors once it has given `failAfter` bytes (it would have had `size`). */
export function failingBody(size: number, failAfter: number, seed = 1): Readable {
  return Readable.from(
    (function* () {
      let given = 0;
      for (const chunk of chunks(size, seed)) {
        if (given >= failAfter) throw new Error(`the client went away after ${given} bytes`);
        given += chunk.length;
        yield chunk;
      }
    })(),
    { objectMode: false },
  );
}

/** A body that calls `hook` once `at` bytes have been read, then goes on. */
export function bodyWithHook(size: number, at: number, hook: () => void, seed = 1): Readable {
  return Readable.from(
    (function* () {
      let given = 0;
      let hooked = false;
      for (const chunk of chunks(size, seed)) {
        if (!hooked && given >= at) {
          hooked = true;
          hook();
        }
        given += chunk.length;
        yield chunk;
      }
    })(),
    { objectMode: false },
  );
}

export function expectedSha256(size: number, seed = 1): string {
  const hash = createHash('sha256');
  for (const chunk of chunks(size, seed)) hash.update(chunk);
  return hash.digest('hex');
}

export async function sha256Of(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}
