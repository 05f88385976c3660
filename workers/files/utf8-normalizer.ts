import { isUtf8 } from 'node:buffer';
import { BYTE_ORDER_MARKS } from './byte-order-marks';
import { CsvError } from './csv-errors';
import type { CsvEncoding } from './csv-types';
import { decodeWindows1252 } from './windows-1252';
import { completeUtf8Length, countLineFeeds, firstInvalidUtf8 } from './utf8-bytes';

const EMPTY = Buffer.alloc(0);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Turns a file's bytes, chunk by chunk, into UTF-8 without its byte order mark: what the CSV
 * parser reads. UTF-8 input passes through untouched once checked. A character cut between two
 * chunks waits for the next one; bytes that do not decode are an ENCODING error naming the line.
 */
export class Utf8Normalizer {
  private carry: Buffer = EMPTY;
  private started = false;
  /** Source bytes consumed before `carry`, and line feeds handed out: for error positions. */
  private bytesIn = 0;
  private linesOut = 0;

  constructor(readonly encoding: CsvEncoding) {}

  push(chunk: Buffer): Buffer {
    return this.convert(this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk, false);
  }

  /** Whatever was held back; fails when the file ends inside a character. */
  end(): Buffer {
    return this.convert(this.carry, true);
  }

  private convert(input: Buffer, final: boolean): Buffer {
    let buf = input;
    if (!this.started) {
      const bom = BYTE_ORDER_MARKS[this.encoding];
      if (bom) {
        // Too few bytes yet to tell whether they are the mark.
        if (!final && buf.length < bom.length && bom.subarray(0, buf.length).equals(buf)) {
          this.carry = buf;
          return EMPTY;
        }
        if (buf.subarray(0, bom.length).equals(bom)) {
          buf = buf.subarray(bom.length);
          this.bytesIn += bom.length;
        }
      }
      this.started = true;
    }
    const { out, used } = this.decode(buf, final);
    this.carry = used < buf.length ? Buffer.from(buf.subarray(used)) : EMPTY;
    this.bytesIn += used;
    this.linesOut += countLineFeeds(out);
    return out;
  }

  private decode(buf: Buffer, final: boolean): { out: Buffer; used: number } {
    switch (this.encoding) {
      case 'utf-8': {
        const used = final ? buf.length : completeUtf8Length(buf);
        const part = buf.subarray(0, used);
        if (!isUtf8(part)) {
          const at = firstInvalidUtf8(part);
          throw this.invalid(countLineFeeds(part, at), at, 'UTF-8');
        }
        return { out: part, used };
      }
      case 'windows-1252':
        return { out: Buffer.from(decodeWindows1252(buf), 'utf8'), used: buf.length };
      case 'utf-16le':
      case 'utf-16be':
        return this.decodeUtf16(buf, final);
    }
  }

  private decodeUtf16(buf: Buffer, final: boolean): { out: Buffer; used: number } {
    let used = buf.length - (buf.length % 2);
    if (final && used < buf.length) throw this.invalid(0, used, 'UTF-16 (the file ends in the middle of a character)');
    let units = buf.subarray(0, used);
    if (this.encoding === 'utf-16be') units = Buffer.from(units).swap16();
    let text = units.toString('utf16le');
    const last = text.charCodeAt(text.length - 1);
    // A high surrogate at the end pairs with the first unit of the next chunk.
    if (!final && last >= 0xd800 && last <= 0xdbff) {
      text = text.slice(0, -1);
      used -= 2;
    }
    const lone = LONE_SURROGATE.exec(text);
    if (lone) throw this.invalid(text.slice(0, lone.index).split('\n').length - 1, lone.index * 2, 'UTF-16');
    return { out: Buffer.from(text, 'utf8'), used };
  }

  private invalid(lineFeedsBefore: number, offset: number, what: string): CsvError {
    const line = this.linesOut + lineFeedsBefore + 1;
    return CsvError.at(
      'ENCODING',
      { line },
      `the bytes at offset ${this.bytesIn + offset} are not valid ${what}; the file may use another encoding`,
    );
  }
}
