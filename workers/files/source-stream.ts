import { Readable } from 'node:stream';
import { CsvError } from './csv-errors';
import type { CsvSource } from './csv-types';

/** The source as a `Readable`, so backpressure, `destroy` and async iteration all work alike. */
export function openReadable(open: CsvSource): Readable {
  let stream: NodeJS.ReadableStream | Readable;
  try {
    stream = open();
  } catch (err) {
    throw readFailed(err);
  }
  return stream instanceof Readable ? stream : new Readable().wrap(stream);
}

/** A failure of the storage the file comes from (missing file, network), not of its content. */
export function readFailed(err: unknown): CsvError {
  const message = err instanceof Error ? err.message : String(err);
  return new CsvError('READ_FAILED', `reading the file failed: ${message}`, {}, { cause: err });
}

export interface FileHead {
  bytes: Buffer;
  /** The head is the whole file. */
  complete: boolean;
}

/** The first `maxBytes` bytes of the file; the stream is closed as soon as they are in. */
export async function readHead(open: CsvSource, maxBytes: number): Promise<FileHead> {
  const stream = openReadable(open);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string);
      chunks.push(bytes);
      length += bytes.length;
      if (length > maxBytes) return { bytes: Buffer.concat(chunks).subarray(0, maxBytes), complete: false };
    }
  } catch (err) {
    throw readFailed(err);
  } finally {
    stream.destroy();
  }
  return { bytes: Buffer.concat(chunks), complete: true };
}
