import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WarehouseColumn } from '../../../schema/domain/warehouse';
import { readCsv } from '../read-csv';
import { tempFolder } from './helpers';

const ROWS = 1_000_000;
const MB = 1024 * 1024;
/** Live memory is measured after a full collection every this many batches (of 5000 rows). */
const GC_EVERY_BATCHES = 20;

/**
 * A full collection on demand. Without one, heapUsed counts garbage V8 has not bothered to collect
 * yet (its young generation alone may hold tens of MB), which says nothing about what is kept.
 */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** About 55 bytes a row, written in blocks as the file stream drains. */
function* bigCsv(): Generator<string> {
  yield 'id,customer,amount,ordered_at,paid\n';
  for (let start = 0; start < ROWS; start += 1000) {
    let block = '';
    for (let i = start; i < start + 1000; i++) {
      const month = String(1 + (i % 12)).padStart(2, '0');
      const day = String(1 + (i % 28)).padStart(2, '0');
      block += `${i},"customer ${i % 9973}",${(i % 100_000) / 100},2024-${month}-${day}T10:15:00Z,${i % 3 === 0}\n`;
    }
    yield block;
  }
}

const COLUMNS: WarehouseColumn[] = [
  { name: 'id', type: 'bigint' },
  { name: 'customer', type: 'text' },
  { name: 'amount', type: 'double' },
  { name: 'ordered_at', type: 'timestamptz' },
  { name: 'paid', type: 'boolean' },
];

describe('readCsv memory', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempFolder('sl-csv-memory-'));
    file = path.join(dir, 'big.csv');
    await pipeline(Readable.from(bigCsv()), createWriteStream(file));
  }, 60_000);
  afterAll(() => cleanup());

  it('reads a 1,000,000-row file with memory far below the file size', async () => {
    const fileSize = (await stat(file)).size;
    const gc = collector();
    gc();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakLiveHeap = before.heapUsed;
    let peakRss = before.rss;
    let rows = 0;
    let batches = 0;
    let last: unknown[] | undefined;
    const reader = readCsv(() => createReadStream(file), { encoding: 'utf-8', delimiter: ',', hasHeader: true, columns: COLUMNS });
    for await (const batch of reader) {
      rows += batch.length;
      last = batch[batch.length - 1];
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
      if (++batches % GC_EVERY_BATCHES === 0) {
        gc();
        peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
      }
    }
    const heapGrowth = peakHeap - before.heapUsed;
    const liveHeapGrowth = peakLiveHeap - before.heapUsed;
    const rssGrowth = peakRss - before.rss;
    console.log(
      `CSV memory: file ${(fileSize / MB).toFixed(1)} MB, ${rows} rows; peak heap growth ${(heapGrowth / MB).toFixed(1)} MB ` +
        `(live, after a full GC: ${(liveHeapGrowth / MB).toFixed(1)} MB), peak RSS growth ${(rssGrowth / MB).toFixed(1)} MB`,
    );
    expect(rows).toBe(ROWS);
    expect(last).toEqual(['999999', 'customer 2699', 999.99, '2024-04-08T10:15:00Z', true]);
    expect(reader.summary()).toEqual({ rowsRead: ROWS, badRows: 0, errors: [] });
    expect(fileSize).toBeGreaterThan(50 * MB);
    // What the reader keeps is a batch and a few chunks, whatever the file size.
    expect(liveHeapGrowth).toBeLessThan(fileSize / 10);
    // Loose: it includes garbage not yet collected, bounded by V8's heap sizing, not by the file.
    expect(rssGrowth).toBeLessThan(fileSize);
  }, 60_000);
});
