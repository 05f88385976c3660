/**
 * Physical line numbers of records. csv-parse's own `info.lines` counts CRLF as two lines, so
 * lines are counted here: a record starts on the line after the previous one ended, and spans
 * one more line per line break inside its quoted fields (CRLF, LF or CR, as the parser splits).
 */
export class RecordLines {
  /** The line the next record starts on. */
  next = 1;

  /** Advances past `fields` and returns the line it started on. */
  advance(fields: readonly string[]): number {
    const start = this.next;
    let breaks = 0;
    for (const field of fields) {
      if (field.length > 0 && (field.includes('\n') || field.includes('\r'))) breaks += lineBreaks(field);
    }
    this.next = start + breaks + 1;
    return start;
  }
}

function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) n++;
    else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) n++;
  }
  return n;
}
