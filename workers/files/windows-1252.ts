/**
 * Windows-1252 decoding. Node 20's `TextDecoder('windows-1252')` decodes as ISO-8859-1 (0x80
 * gives U+0080, not €), so the 0x80–0x9F block is mapped here, as the WHATWG table does;
 * the five unassigned bytes keep their C1 code points, like browsers.
 */
const HIGH_BLOCK = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
].map((code) => String.fromCharCode(code));

const HAS_C1 = /[\x80-\x9f]/;
const C1 = /[\x80-\x9f]/g;

export function decodeWindows1252(bytes: Buffer): string {
  const latin1 = bytes.toString('latin1');
  return HAS_C1.test(latin1) ? latin1.replace(C1, (ch) => HIGH_BLOCK[ch.charCodeAt(0) - 0x80]!) : latin1;
}
