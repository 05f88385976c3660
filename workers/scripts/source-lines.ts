/**
 * A source map's `mappings`, decoded into what the sandbox's bootstrap needs to turn a position
 * in the compiled script back into the author's line and column: for each generated line, its
 * segments as [generated column, source line, source column], all 0-based.
 */
export type SourceLines = Array<Array<[number, number, number]>>;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = DIGIT.get(c);
    if (digit === undefined) return [];
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export function decodeSourceLines(mappings: string): SourceLines {
  const lines: SourceLines = [];
  // Every field but the generated column is relative to the previous segment in the whole map.
  let source = 0;
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const line of mappings.split(';')) {
    const segments: Array<[number, number, number]> = [];
    let column = 0;
    for (const text of line.split(',')) {
      if (!text) continue;
      const fields = decodeSegment(text);
      if (fields.length === 0) continue;
      column += fields[0]!;
      if (fields.length < 4) continue;
      source += fields[1]!;
      sourceLine += fields[2]!;
      sourceColumn += fields[3]!;
      if (source === 0) segments.push([column, sourceLine, sourceColumn]);
    }
    lines.push(segments);
  }
  return lines;
}
