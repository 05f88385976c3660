import { Parser } from 'csv-parse';
import type { TransformCallback } from 'node:stream';

/** A parse error, handed out after the records parsed before it. */
export class ParseFailure {
  constructor(readonly error: Error) {}
}

/**
 * csv-parse's stream, except that a parse error arrives as a last `ParseFailure` item after the
 * records read before it, instead of destroying the stream and dropping them: line numbers are
 * counted from the records the reader sees, so it must see every one. (csv-parse's `on_record`
 * would see them too, but builds an info object per record: it more than doubled the parse time.)
 */
export class RecordStream extends Parser {
  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(chunk, encoding, (err) => this.settle(err, callback));
  }

  override _flush(callback: TransformCallback): void {
    super._flush((err) => this.settle(err, callback));
  }

  private settle(err: Error | null | undefined, callback: TransformCallback): void {
    if (err) {
      this.push(new ParseFailure(err));
      // The parser has stopped: it takes no further chunk, and the reader stops at the failure.
      this.push(null);
    }
    callback();
  }
}
