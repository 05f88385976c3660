import { Readable } from 'node:stream';
import type { CsvSource } from './csv-types';

/** The source as a `Readable`, so backpressure, `destroy` and async iteration all work alike. */
export function openReadable(open: CsvSource): Readable {
  const stream = open();
  return stream instanceof Readable ? stream : new Readable().wrap(stream);
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
  } finally {
    stream.destroy();
  }
  return { bytes: Buffer.concat(chunks), complete: true };
}
