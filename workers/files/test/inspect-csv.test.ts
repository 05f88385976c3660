import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvError } from '../csv-errors';
import { inspectCsv } from '../inspect-csv';
import { csvFile, failureOf, tempFolder } from './helpers';

describe('inspectCsv', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempFolder('sl-csv-inspect-'));
  });
  afterAll(() => cleanup());

  it('finds the header, the column types and converts a preview', async () => {
    const open = await csvFile(
      dir,
      [
        'id,name,price,ratio,active,day,at',
        '1,"Widget, large",12.50,1e-3,true,2024-02-29,2024-03-01T10:00:00+02:00',
        '2,"He said ""hi""",7,0.5,F,2024-03-01,2024-03-01 08:30',
        '-3,,,,,,',
      ].join('\n'),
    );
    const inspection = await inspectCsv(open);
    expect(inspection).toMatchObject({ encoding: 'utf-8', delimiter: ',', hasHeader: true, sampledRows: 3 });
    expect(inspection.columns).toEqual([
      { name: 'id', type: 'bigint' },
      { name: 'name', type: 'text' },
      { name: 'price', type: 'double' },
      { name: 'ratio', type: 'double' },
      { name: 'active', type: 'boolean' },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'timestamptz' },
    ]);
    expect(inspection.sample).toEqual([
      ['1', 'Widget, large', 12.5, 0.001, true, '2024-02-29', '2024-03-01T08:00:00Z'],
      ['2', 'He said "hi"', 7, 0.5, false, '2024-03-01', '2024-03-01T08:30:00Z'],
      ['-3', null, null, null, null, null, null],
    ]);
  });

  it('keeps integers with leading zeros and beyond 64 bits as text, and never guesses numeric', async () => {
    const open = await csvFile(dir, 'zip,big,n\n01234,123456789012345678901,5\n90210,1,6\n');
    const { columns } = await inspectCsv(open);
    expect(columns.map((c) => c.type)).toEqual(['text', 'text', 'bigint']);
  });

  it('reads a UTF-8 file with a byte order mark without putting it in the first name', async () => {
    const open = await csvFile(dir, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,qty\nbolt,3\n')]));
    const inspection = await inspectCsv(open);
    expect(inspection.encoding).toBe('utf-8');
    expect(inspection.columns[0]).toEqual({ name: 'name', type: 'text' });
  });

  it('picks semicolons over the commas of decimal numbers', async () => {
    const open = await csvFile(dir, 'produit;prix;note\n"pain; complet";1,20;bon\ncafé;2,50;"très, bon"\n');
    const inspection = await inspectCsv(open);
    expect(inspection.delimiter).toBe(';');
    expect(inspection.columns.map((c) => c.name)).toEqual(['produit', 'prix', 'note']);
    expect(inspection.sample[0]).toEqual(['pain; complet', '1,20', 'bon']);
  });

  it('picks tabs, even when the values hold commas', async () => {
    const open = await csvFile(dir, 'name\tcity\tage\nSmith, John\tParis, FR\t42\nDoe, Jane\tRome, IT\t37\n');
    const inspection = await inspectCsv(open);
    expect(inspection.delimiter).toBe('\t');
    expect(inspection.columns).toEqual([
      { name: 'name', type: 'text' },
      { name: 'city', type: 'text' },
      { name: 'age', type: 'bigint' },
    ]);
  });

  it('picks pipes', async () => {
    const open = await csvFile(dir, 'a|b\n1|2\n3|4\n');
    expect((await inspectCsv(open)).delimiter).toBe('|');
  });

  it('reads windows-1252 text (é, €) when the bytes are not UTF-8', async () => {
    // "café,€5" in windows-1252: é = 0xE9, € = 0x80.
    const bytes = Buffer.from([...Buffer.from('name,note\ncaf', 'latin1'), 0xe9, 0x2c, 0x80, 0x35, 0x0a]);
    const inspection = await inspectCsv(await csvFile(dir, bytes));
    expect(inspection.encoding).toBe('windows-1252');
    expect(inspection.sample).toEqual([['café', '€5']]);
  });

  it('reads UTF-16LE with a byte order mark', async () => {
    const text = 'città,n\nRoma,1\nTōkyō,2\n';
    const open = await csvFile(dir, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const inspection = await inspectCsv(open);
    expect(inspection).toMatchObject({ encoding: 'utf-16le', delimiter: ',', hasHeader: true });
    expect(inspection.columns).toEqual([
      { name: 'città', type: 'text' },
      { name: 'n', type: 'bigint' },
    ]);
    expect(inspection.sample).toEqual([
      ['Roma', '1'],
      ['Tōkyō', '2'],
    ]);
  });

  it('reads UTF-16BE with a byte order mark', async () => {
    const le = Buffer.from('a,b\n1,x\n', 'utf16le');
    const open = await csvFile(dir, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]));
    const inspection = await inspectCsv(open);
    expect(inspection.encoding).toBe('utf-16be');
    expect(inspection.sample).toEqual([['1', 'x']]);
  });

  it('recognizes UTF-16LE without a byte order mark by its NUL bytes', async () => {
    const inspection = await inspectCsv(await csvFile(dir, Buffer.from('id;label\n1;été\n2;hiver\n', 'utf16le')));
    expect(inspection).toMatchObject({ encoding: 'utf-16le', delimiter: ';', hasHeader: true });
    expect(inspection.sample).toEqual([
      ['1', 'été'],
      ['2', 'hiver'],
    ]);
  });

  it('names the columns column_1… when the first record is data', async () => {
    const open = await csvFile(dir, '1,apple,2024-01-01\n2,pear,2024-01-02\n');
    const inspection = await inspectCsv(open);
    expect(inspection.hasHeader).toBe(false);
    expect(inspection.columns).toEqual([
      { name: 'column_1', type: 'bigint' },
      { name: 'column_2', type: 'text' },
      { name: 'column_3', type: 'date' },
    ]);
    expect(inspection.sample).toHaveLength(2);
  });

  it('treats an all-text first record as data when its values recur below', async () => {
    const open = await csvFile(dir, 'red,small\nblue,small\ngreen,large\n');
    expect((await inspectCsv(open)).hasHeader).toBe(false);
  });

  it('treats an all-text first record as a header when nothing contradicts it', async () => {
    const open = await csvFile(dir, 'first,last\nAda,Lovelace\nAlan,Turing\n');
    const inspection = await inspectCsv(open);
    expect(inspection.hasHeader).toBe(true);
    expect(inspection.columns.map((c) => c.name)).toEqual(['first', 'last']);
  });

  it('trims header names, names blanks by position and suffixes repeats', async () => {
    const open = await csvFile(dir, ' id ,,Amount,amount,,id\n1,2,3,4,5,6\n');
    const { columns, hasHeader } = await inspectCsv(open);
    expect(hasHeader).toBe(true);
    expect(columns.map((c) => c.name)).toEqual(['id', 'column_2', 'Amount', 'amount_2', 'column_5', 'id_2']);
  });

  it('infers types from the sample only and drops the line cut at its end', async () => {
    const lines = ['n,label'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},item ${i}`);
    lines.push('not a number,x');
    const inspection = await inspectCsv(await csvFile(dir, lines.join('\n')), { sampleBytes: 4096 });
    expect(inspection.columns[0]).toEqual({ name: 'n', type: 'bigint' });
    expect(inspection.sampledRows).toBeGreaterThan(100);
    expect(inspection.sampledRows).toBeLessThan(5000);
    expect(inspection.sample).toHaveLength(20);
  });

  it('honours sampleRows', async () => {
    const open = await csvFile(dir, 'n\n1\n2\n3\nx\n');
    const sampled = await inspectCsv(open, { sampleRows: 3 });
    expect(sampled.columns[0]!.type).toBe('bigint');
    expect(sampled.sampledRows).toBe(3);
    expect((await inspectCsv(open)).columns[0]!.type).toBe('text');
  });

  it('turns an all-empty column into text and an empty file into EMPTY_FILE', async () => {
    const { columns } = await inspectCsv(await csvFile(dir, 'a,b\n1,\n2,\n'));
    expect(columns[1]).toEqual({ name: 'b', type: 'text' });
    const err = await failureOf(inspectCsv(await csvFile(dir, '\n\n')));
    expect(err).toBeInstanceOf(CsvError);
    expect(err.code).toBe('EMPTY_FILE');
    const missing = await failureOf(inspectCsv(() => createReadStream(`${dir}/missing.csv`)));
    expect(missing).toMatchObject({ code: 'READ_FAILED' });
  });
});
