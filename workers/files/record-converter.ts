import type { WarehouseColumn, WarehouseValue } from '../../schema/domain/warehouse';
import { CsvError } from './csv-errors';
import { isBlankRecord } from './csv-parse-options';
import type { CsvReadSummary } from './csv-types';
import { CONVERTERS, INVALID, invalidReason, type ValueConverter } from './csv-values';
import { RecordLines } from './record-lines';

/** Errors of skipped records kept for the summary; the rest are only counted. */
const MAX_REPORTED_ERRORS = 10;

/**
 * Turns parsed records into rows of warehouse values, in file order: skips blank lines and the
 * header, checks field counts, converts each field by its column's type. A bad record is skipped
 * and reported while `maxBadRows` allows, then fails the read. It also knows the line the next
 * record starts on, for errors the parser raises.
 */
export class RecordConverter {
  readonly lines = new RecordLines();
  private readonly converters: ValueConverter[];
  private headerPending: boolean;

  constructor(
    private readonly columns: readonly WarehouseColumn[],
    hasHeader: boolean,
    private readonly maxBadRows: number,
    private readonly summary: CsvReadSummary,
  ) {
    this.converters = columns.map((c) => CONVERTERS[c.type]);
    this.headerPending = hasHeader;
  }

  /** The row for `fields`, or null when the record is skipped; throws when the read must stop. */
  accept(fields: string[]): WarehouseValue[] | null {
    const line = this.lines.advance(fields);
    if (isBlankRecord(fields)) return null;
    const width = this.columns.length;
    if (this.headerPending) {
      this.headerPending = false;
      if (fields.length !== width) {
        throw CsvError.at('FIELD_COUNT', { line }, `the header has ${fields.length} fields, expected ${width}`);
      }
      return null;
    }
    if (fields.length !== width) {
      return this.bad(CsvError.at('FIELD_COUNT', { line }, `${plural(fields.length, 'field')}, expected ${width}`));
    }
    const row: WarehouseValue[] = new Array<WarehouseValue>(width);
    for (let i = 0; i < width; i++) {
      const value = this.converters[i]!(fields[i]!);
      if (value === INVALID) {
        const column = this.columns[i]!;
        const position = { line, column: i + 1, columnName: column.name };
        return this.bad(CsvError.at('BAD_VALUE', position, invalidReason(column.type, fields[i]!)));
      }
      row[i] = value;
    }
    return row;
  }

  private bad(error: CsvError): null {
    if (this.summary.badRows >= this.maxBadRows) {
      if (this.maxBadRows === 0) throw error;
      const position = { line: error.line, column: error.column, columnName: error.columnName };
      const message = `${error.message} (more than ${plural(this.maxBadRows, 'bad row')})`;
      throw new CsvError('TOO_MANY_BAD_ROWS', message, position, { cause: error });
    }
    this.summary.badRows++;
    if (this.summary.errors.length < MAX_REPORTED_ERRORS) this.summary.errors.push(error);
    return null;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
