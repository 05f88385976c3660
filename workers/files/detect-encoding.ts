import { isUtf8 } from 'node:buffer';
import { BYTE_ORDER_MARKS } from './byte-order-marks';
import type { CsvEncoding } from './csv-types';
import { completeUtf8Length } from './utf8-bytes';

/** Bytes looked at for UTF-16 without a byte order mark. */
const NUL_SCAN_BYTES = 4096;

/**
 * The encoding of a file from its head: a byte order mark decides; then UTF-16 without one (text
 * in it is mostly ASCII, so every other byte is NUL); then valid UTF-8; else windows-1252, which
 * decodes any byte, so spreadsheet exports from Windows still open.
 * `complete` says the head is the whole file: otherwise its last character may be cut.
 */
export function detectEncoding(head: Buffer, complete: boolean): CsvEncoding {
  for (const encoding of ['utf-8', 'utf-16le', 'utf-16be'] as const) {
    const bom = BYTE_ORDER_MARKS[encoding]!;
    if (head.length >= bom.length && head.subarray(0, bom.length).equals(bom)) return encoding;
  }
  const nulOrder = utf16ByNulBytes(head);
  if (nulOrder) return nulOrder;
  const checked = complete ? head : head.subarray(0, completeUtf8Length(head));
  return isUtf8(checked) ? 'utf-8' : 'windows-1252';
}

function utf16ByNulBytes(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(Math.min(head.length, NUL_SCAN_BYTES) / 2);
  if (pairs < 2) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  // Text files never hold NUL; a few stray ones must not flip the decision.
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}
