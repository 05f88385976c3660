import { Transform, type TransformCallback } from 'node:stream';
import type { CsvEncoding } from './csv-types';
import { Utf8Normalizer } from './utf8-normalizer';

/** The streaming form of `Utf8Normalizer`: file bytes in, UTF-8 out, with backpressure. */
export class Utf8Transcoder extends Transform {
  private readonly normalizer: Utf8Normalizer;

  constructor(encoding: CsvEncoding) {
    super();
    this.normalizer = new Utf8Normalizer(encoding);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.emitting(() => this.normalizer.push(chunk), callback);
  }

  override _flush(callback: TransformCallback): void {
    this.emitting(() => this.normalizer.end(), callback);
  }

  private emitting(convert: () => Buffer, callback: TransformCallback): void {
    let out: Buffer;
    try {
      out = convert();
    } catch (err) {
      callback(err as Error);
      return;
    }
    if (out.length > 0) this.push(out);
    callback();
  }
}
