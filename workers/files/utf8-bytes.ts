/**
 * UTF-8 byte checks on raw chunks: where a chunk can be cut without splitting a character, and
 * where the first invalid sequence starts (for an error message that points at the line).
 */

/** Length of `buf` without a trailing character that is cut off (its rest is in the next chunk). */
export function completeUtf8Length(buf: Uint8Array): number {
  const len = buf.length;
  for (let k = 1; k <= Math.min(3, len); k++) {
    const b = buf[len - k]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b < 0xc0) return len;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return size > k ? len - k : len;
  }
  return len;
}

/** Offset of the first byte that starts an invalid (or truncated) sequence; -1 when all valid. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  const len = buf.length;
  while (i < len) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let size: number;
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) size = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      size = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      size = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + size > len) return i;
    const second = buf[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < size; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    i += size;
  }
  return -1;
}

/** Line feeds in `buf[0, end)`: physical lines for error messages. */
export function countLineFeeds(buf: Uint8Array, end = buf.length): number {
  let n = 0;
  let at = buf.indexOf(0x0a);
  while (at !== -1 && at < end) {
    n++;
    at = buf.indexOf(0x0a, at + 1);
  }
  return n;
}
