/**
 * A 1,000,000-row CSV into the warehouse the way a file datasource loads it — inspect the head,
 * stream and convert every row (readCsv), COPY into a staging table, swap it in — against
 * PostgreSQL's own `COPY … FROM STDIN (FORMAT csv)` of the same file into a plain table. Memory
 * is sampled through both: the load must stay flat whatever the file size.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '../../schema/database';
import { createPgDatabase } from '../../testkit/services';
import { inspectCsv, readCsv } from '../../workers/files';
import { createWarehouse } from '../../workers/warehouse';
import { onInterrupt } from '../lib/cleanup';
import { now, since } from '../lib/clock';
import { compare } from '../lib/result';
import { summarizeDurations } from '../lib/stats';
import type { BenchSuite } from '../lib/types';

const ROWS = 1_000_000;
const ROUNDS = 2;
const MB = 1024 * 1024;

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('id;region;amount;price;day;note\n');
  const regions = ['North', 'South', 'East', 'West'];
  for (let i = 1; i <= ROWS; i++) {
    const line = `${i};${regions[i % 4]};${i % 977};${(i % 1000) / 7};2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')};"note ${i % 13}"\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Peak RSS above where it started, sampled every 20 ms while `work` runs. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMb: (peak - start) / MB };
  } finally {
    clearInterval(timer);
  }
}

const suite: BenchSuite = {
  name: 'csv-load',
  description: `a ${ROWS.toLocaleString('en-US')}-row CSV loaded into the warehouse (inspect + readCsv + COPY to staging + swap), against PostgreSQL's COPY FROM STDIN of the same file`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-csv-'));
    const file = join(dir, 'orders.csv');
    const temp = await createPgDatabase('sl_bench_csv');
    const database = await openDatabase({ kind: 'postgres', url: temp.url });
    const warehouse = createWarehouse(database.raw);
    const raw = new pg.Client({ connectionString: temp.url });
    const cleanup = async () => {
      await raw.end().catch(() => undefined);
      await warehouse.close();
      await database.close();
      await temp.drop();
      rmSync(dir, { recursive: true, force: true });
    };
    const release = onInterrupt(cleanup);
    try {
      await writeCsv(file);
      const sizeMb = statSync(file).size / MB;
      await raw.connect();
      await raw.query('CREATE TABLE baseline (id bigint, region text, amount bigint, price double precision, day date, note text)');
      const organizationId = randomUUID();
      const open = () => createReadStream(file);

      const ours: number[] = [];
      const theirs: number[] = [];
      let oursPeak = 0;
      let theirsPeak = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const a = await withPeakRss(async () => {
          const t0 = now();
          await raw.query('TRUNCATE baseline');
          await pipeline(open(), raw.query(copyFrom(`COPY baseline FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER)`)));
          return since(t0);
        });
        theirs.push(a.value);
        theirsPeak = Math.max(theirsPeak, a.peakMb);
        const b = await withPeakRss(async () => {
          const t0 = now();
          const detected = await inspectCsv(open);
          const result = await warehouse.load({
            organizationId,
            table: 'orders',
            columns: detected.columns,
            rows: readCsv(open, { encoding: detected.encoding, delimiter: detected.delimiter, hasHeader: detected.hasHeader, columns: detected.columns }),
            mode: 'replace',
          });
          if (result.rowsWritten !== ROWS) throw new Error(`loaded ${result.rowsWritten} rows, expected ${ROWS}`);
          return since(t0);
        });
        ours.push(b.value);
        oursPeak = Math.max(oursPeak, b.peakMb);
      }
      const figure = { label: 'inspect + readCsv + warehouse.load (COPY to staging, swap)', unit: 's' as const, stats: summarizeDurations(ours, 's') };
      const baseline = { label: "PostgreSQL COPY FROM STDIN (FORMAT csv) of the file", unit: 's' as const, stats: summarizeDurations(theirs, 's') };
      return [
        compare('1M-row CSV → warehouse', figure, baseline, {
          notes: [
            `file ${sizeMb.toFixed(1)} MB, ${ROWS.toLocaleString('en-US')} rows × 6 columns (bigint, text, bigint, double, date, text), ${ROUNDS} rounds each`,
            `peak RSS growth during the load: ${oursPeak.toFixed(1)} MB (${((oursPeak / sizeMb) * 100).toFixed(0)}% of the file size); raw COPY: ${theirsPeak.toFixed(1)} MB`,
            'the load parses and type-checks every value in Node (line/column errors) where COPY hands raw text to the server',
          ],
        }),
      ];
    } finally {
      release();
      await cleanup();
    }
  },
};

export default suite;
