import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WarehouseColumn } from '../../../schema/domain/warehouse';
import { CsvError } from '../csv-errors';
import type { ReadCsvOptions } from '../csv-types';
import { inspectCsv } from '../inspect-csv';
import { readCsv } from '../read-csv';
import { csvFile, failureOf, readAllRows, tempFolder } from './helpers';

const text = (name: string): WarehouseColumn => ({ name, type: 'text' });
const typed = (name: string, type: WarehouseColumn['type']): WarehouseColumn => ({ name, type });

function options(columns: WarehouseColumn[], extra: Partial<ReadCsvOptions> = {}): ReadCsvOptions {
  return { encoding: 'utf-8', delimiter: ',', hasHeader: true, columns, ...extra };
}

describe('readCsv', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempFolder('sl-csv-read-'));
  });
  afterAll(() => cleanup());

  it('reads quoted fields, escaped quotes and line breaks inside quotes, in batches', async () => {
    const open = await csvFile(
      dir,
      'id,comment\r\n1,"plain"\r\n2,"with ""quotes"", and a comma"\r\n3,"two\r\nlines"\n4,"three\nlines\nhere"\r\n5,5" screen\r\n',
      5,
    );
    const reader = readCsv(open, { ...options([typed('id', 'bigint'), text('comment')]), batchSize: 2 });
    const batches = [];
    for await (const batch of reader) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batches.flat()).toEqual([
      ['1', 'plain'],
      ['2', 'with "quotes", and a comma'],
      ['3', 'two\r\nlines'],
      ['4', 'three\nlines\nhere'],
      ['5', '5" screen'],
    ]);
    expect(reader.summary()).toEqual({ rowsRead: 5, badRows: 0, errors: [] });
  });

  it('reads what inspectCsv found: BOM, semicolons, tabs', async () => {
    const files = [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n1,x\n2,y\n')]),
      Buffer.from('a;b\n1;"x;1"\n2;y\n'),
      Buffer.from('a\tb\r\n1\tx, 1\r\n2\ty\r\n'),
    ];
    const seen = [];
    for (const content of files) {
      const open = await csvFile(dir, content, 2);
      const inspection = await inspectCsv(open);
      expect(inspection.columns.map((c) => c.name)).toEqual(['a', 'b']);
      seen.push(await readAllRows(readCsv(open, inspection)));
    }
    expect(seen).toEqual([
      [['1', 'x'], ['2', 'y']],
      [['1', 'x;1'], ['2', 'y']],
      [['1', 'x, 1'], ['2', 'y']],
    ]);
  });

  it('decodes windows-1252, UTF-16LE and UTF-16BE even when characters are split between chunks', async () => {
    const label = 'Crème brûlée – 5 € “spécial” 𝄞';
    const utf16 = Buffer.from(`name\n"${label}"\n`, 'utf16le');
    const cases: [ReadCsvOptions['encoding'], Buffer, string][] = [
      ['windows-1252', Buffer.from([...Buffer.from('name\nCaf', 'latin1'), 0xe9, 0x20, 0x80, 0x0a]), 'Café €'],
      ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]), label],
      ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf16).swap16()]), label],
      ['utf-8', Buffer.from(`name\n${label}\n`), label],
    ];
    for (const [encoding, bytes, expected] of cases) {
      const open = await csvFile(dir, bytes, 3);
      expect(await readAllRows(readCsv(open, options([text('name')], { encoding })))).toEqual([[expected]]);
    }
  });

  it('reads a file without header from its first line', async () => {
    const open = await csvFile(dir, '1,2\n3,4\n');
    const rows = await readAllRows(readCsv(open, options([typed('a', 'bigint'), typed('b', 'bigint')], { hasHeader: false })));
    expect(rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('reports a record with the wrong field count at the line it starts on, after multi-line records', async () => {
    const open = await csvFile(dir, 'id,note\r\n1,"a\r\nb"\r\n\r\n2,"c\nd\ne"\r\n3,ok\r\n4,too,many\r\n5,x\r\n');
    const err = await failureOf(readAllRows(readCsv(open, options([typed('id', 'bigint'), text('note')]))));
    expect(err).toBeInstanceOf(CsvError);
    expect(err).toMatchObject({ code: 'FIELD_COUNT', line: 9 });
    expect(err.message).toBe('line 9: 3 fields, expected 2');
  });

  it('reports a value that does not convert with its line, column number and name', async () => {
    const open = await csvFile(dir, 'id,when,amount\n1,2024-01-01,10\n2,"2024-01-02",12x\n');
    const columns = [typed('id', 'bigint'), typed('when', 'date'), typed('amount', 'double')];
    const err = await failureOf(readAllRows(readCsv(open, options(columns))));
    expect(err).toMatchObject({ code: 'BAD_VALUE', line: 3, column: 3, columnName: 'amount' });
    expect(err.message).toBe('line 3, column 3 ("amount"): "12x" is not a number');
  });

  it('rejects impossible dates and out-of-range integers', async () => {
    const date = await failureOf(readAllRows(readCsv(await csvFile(dir, 'd\n2023-02-28\n2023-02-30\n'), options([typed('d', 'date')]))));
    expect(date.message).toBe('line 3, column 1 ("d"): "2023-02-30" is not a valid date');
    const big = await failureOf(
      readAllRows(readCsv(await csvFile(dir, 'n\n9223372036854775807\n9223372036854775808\n'), options([typed('n', 'bigint')]))),
    );
    expect(big.message).toBe('line 3, column 1 ("n"): "9223372036854775808" is out of range for a 64-bit integer');
  });

  it('skips up to maxBadRows bad records and reports them; one more fails the read', async () => {
    const content = 'id,amount\n1,10\n2,oops\n3,30\n4\n5,50\n';
    const columns = [typed('id', 'bigint'), typed('amount', 'bigint')];
    const reader = readCsv(await csvFile(dir, content), options(columns, { maxBadRows: 2 }));
    expect(await readAllRows(reader)).toEqual([
      ['1', '10'],
      ['3', '30'],
      ['5', '50'],
    ]);
    const summary = reader.summary();
    expect(summary).toMatchObject({ rowsRead: 3, badRows: 2 });
    expect(summary.errors.map((e) => [e.code, e.line, e.message])).toEqual([
      ['BAD_VALUE', 3, 'line 3, column 2 ("amount"): "oops" is not an integer'],
      ['FIELD_COUNT', 5, 'line 5: 1 field, expected 2'],
    ]);

    const strict = readCsv(await csvFile(dir, content), options(columns, { maxBadRows: 1 }));
    const err = await failureOf(readAllRows(strict));
    expect(err).toMatchObject({ code: 'TOO_MANY_BAD_ROWS', line: 5 });
    expect(err.message).toBe('line 5: 1 field, expected 2 (more than 1 bad row)');
    expect(strict.summary().badRows).toBe(1);
  });

  it('converts by the types given, not the ones inferred', async () => {
    const open = await csvFile(dir, 'code,price,flag,at\n007,19.999999999999999999,1,2024-06-01T12:00:00.123456-05:30\n42,-0.5,false,2024-06-01\n');
    const inspection = await inspectCsv(open);
    expect(inspection.columns.map((c) => c.type)).toEqual(['text', 'double', 'text', 'timestamptz']);
    const columns = [typed('code', 'bigint'), typed('price', 'numeric'), typed('flag', 'boolean'), typed('at', 'timestamptz')];
    expect(await readAllRows(readCsv(open, { ...inspection, columns }))).toEqual([
      ['7', '19.999999999999999999', true, '2024-06-01T17:30:00.123456Z'],
      ['42', '-0.5', false, '2024-06-01T00:00:00Z'],
    ]);
    const asText = inspection.columns.map((c) => text(c.name));
    expect(await readAllRows(readCsv(open, { ...inspection, columns: asText }))).toEqual([
      ['007', '19.999999999999999999', '1', '2024-06-01T12:00:00.123456-05:30'],
      ['42', '-0.5', 'false', '2024-06-01'],
    ]);
  });

  it('takes a time without zone as UTC', async () => {
    const open = await csvFile(dir, 'at\n2024-01-31 23:59:59\n2024-01-31T23:59\n2024-01-31T23:59:59+01\n');
    expect(await readAllRows(readCsv(open, options([typed('at', 'timestamptz')])))).toEqual([
      ['2024-01-31T23:59:59Z'],
      ['2024-01-31T23:59:00Z'],
      ['2024-01-31T22:59:59Z'],
    ]);
  });

  it('reports a quote left open at the end of the file at the line its record starts', async () => {
    const open = await csvFile(dir, 'id,note\r\n1,"a\r\nb"\r\n2,"never closed\r\n3,more\r\n');
    const err = await failureOf(readAllRows(readCsv(open, options([typed('id', 'bigint'), text('note')]))));
    expect(err).toMatchObject({ code: 'UNCLOSED_QUOTE', line: 4 });
    expect(err.message).toBe('line 4: a quoted field is still open at the end of the file');
  });

  it('keeps stray quotes as text, and reports a file that cannot be opened', async () => {
    const open = await csvFile(dir, 'id,note\n1,"quoted" then more\n2,12" pipe\n');
    expect(await readAllRows(readCsv(open, options([text('id'), text('note')])))).toEqual([
      ['1', '"quoted" then more'],
      ['2', '12" pipe'],
    ]);
    const missing = await failureOf(readAllRows(readCsv(() => createReadStream(`${dir}/missing.csv`), options([text('a')]))));
    expect(missing).toMatchObject({ code: 'READ_FAILED' });
    expect(missing.message).toMatch(/^reading the file failed: ENOENT/);
  });

  it('stops at a record longer than maxRecordChars instead of buffering the rest of the file', async () => {
    const open = await csvFile(dir, `id,note\n1,ok\n2,"${'x\n'.repeat(10_000)}`);
    const err = await failureOf(readAllRows(readCsv(open, options([text('id'), text('note')], { maxRecordChars: 1000 }))));
    expect(err).toMatchObject({ code: 'RECORD_TOO_LARGE', line: 3 });
  });

  it('reports bytes that are not UTF-8 at their line', async () => {
    const bytes = Buffer.concat([Buffer.from('name\nok\nstill ok\nbad '), Buffer.from([0xe9]), Buffer.from(' here\n')]);
    const err = await failureOf(readAllRows(readCsv(await csvFile(dir, bytes, 4), options([text('name')]))));
    expect(err).toMatchObject({ code: 'ENCODING', line: 4 });
    expect(err.message).toMatch(/^line 4: the bytes at offset 21 are not valid UTF-8/);
  });

  it('fails on a header that does not match the columns', async () => {
    const err = await failureOf(readAllRows(readCsv(await csvFile(dir, 'a,b,c\n1,2,3\n'), options([text('a'), text('b')]))));
    expect(err).toMatchObject({ code: 'FIELD_COUNT', line: 1 });
  });

  it('ends with CANCELLED when its signal aborts, and closes the file when the consumer stops early', async () => {
    const lines = ['n'];
    for (let i = 0; i < 20_000; i++) lines.push(String(i));
    const open = await csvFile(dir, lines.join('\n'));
    const controller = new AbortController();
    const err = await failureOf(
      (async () => {
        for await (const _ of readCsv(open, options([typed('n', 'bigint')], { batchSize: 100, signal: controller.signal }))) {
          controller.abort();
        }
      })(),
    );
    expect(err).toMatchObject({ code: 'CANCELLED' });

    const streams: NodeJS.ReadableStream[] = [];
    const tracked = () => {
      const s = open();
      streams.push(s);
      return s;
    };
    for await (const batch of readCsv(tracked, options([typed('n', 'bigint')], { batchSize: 100 }))) {
      expect(batch[0]).toEqual(['0']);
      break;
    }
    expect(streams).toHaveLength(1);
    expect((streams[0] as unknown as { destroyed: boolean }).destroyed).toBe(true);
  });

  it('refuses options it cannot honour before opening the file', () => {
    const open = () => {
      throw new Error('must not be opened');
    };
    expect(() => readCsv(open, options([]))).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => readCsv(open, options([text('a')], { batchSize: 0 }))).toThrow('batchSize must be a positive integer, got 0');
  });
});
