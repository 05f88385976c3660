/** Stable codes a CSV failure is reported with; the loader forwards them to the job. */
export const CSV_ERROR_CODES = [
  'BAD_VALUE',
  'FIELD_COUNT',
  'UNCLOSED_QUOTE',
  'RECORD_TOO_LARGE',
  'MALFORMED',
  'ENCODING',
  'EMPTY_FILE',
  'TOO_MANY_BAD_ROWS',
  'INVALID_OPTIONS',
  'CANCELLED',
  'READ_FAILED',
] as const;

export type CsvErrorCode = (typeof CSV_ERROR_CODES)[number];

/** Where in the file a problem is: 1-based physical line (where the record starts) and column. */
export interface CsvPosition {
  line?: number;
  column?: number;
  columnName?: string;
}

/**
 * The only error the CSV reader lets out. Its message is meant for the person who uploaded
 * the file, so it names the line and column the way a spreadsheet would show them.
 */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  readonly code: CsvErrorCode;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly columnName: string | undefined;

  constructor(code: CsvErrorCode, message: string, position: CsvPosition = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.line = position.line;
    this.column = position.column;
    this.columnName = position.columnName;
  }

  /** An error whose message starts with its position: `line 7, column 3 ("amount"): …`. */
  static at(code: CsvErrorCode, position: CsvPosition, detail: string, options?: { cause?: unknown }): CsvError {
    const label = positionLabel(position);
    return new CsvError(code, label ? `${label}: ${detail}` : detail, position, options);
  }
}

export function isCsvError(err: unknown): err is CsvError {
  return err instanceof CsvError;
}

export function positionLabel({ line, column, columnName }: CsvPosition): string {
  const parts: string[] = [];
  if (line !== undefined) parts.push(`line ${line}`);
  if (column !== undefined) parts.push(columnName !== undefined ? `column ${column} (${JSON.stringify(columnName)})` : `column ${column}`);
  return parts.join(', ');
}

const MAX_QUOTED_CHARS = 60;

/** A cell's text as messages show it: quoted, and cut so a huge field cannot flood a log. */
export function quoteValue(raw: string): string {
  const cut = raw.length > MAX_QUOTED_CHARS ? `${raw.slice(0, MAX_QUOTED_CHARS)}…` : raw;
  return JSON.stringify(cut);
}
