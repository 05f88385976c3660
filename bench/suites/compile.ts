/**
 * Compile time per query and dialect. The baseline is a JSON round-trip of the same query
 * object, which any request handling pays anyway, so the ratio says how many "parses" a compile
 * costs and stays comparable across machines.
 */
import { compileQuery, dialects, type Dialect } from '../../query';
import { COLUMNS, FORMULAS, FRESH_ZONES, QUERIES, SOURCE, inZone, type NamedQuery } from '../fixtures/compile-queries';
import { progress } from '../lib/progress';
import { compare } from '../lib/result';
import { pairSync, timeEach, type Bounds } from '../lib/sample';
import { summarizeDurations } from '../lib/stats';
import type { BenchResult, BenchSuite, Measurement } from '../lib/types';

const BOUNDS: Bounds & { batch: number } = { warmup: 200, batch: 10, minRounds: 20, maxRounds: 5_000, budgetMs: 400 };
const COMPILE_LABEL = 'compileQuery';
const BASELINE_LABEL = 'JSON.parse(JSON.stringify(query))';

function compile(dialect: Dialect, query: unknown): unknown {
  return compileQuery({ dialect, source: SOURCE, columns: COLUMNS, formulas: FORMULAS, query });
}

function roundTrip(query: unknown): unknown {
  return JSON.parse(JSON.stringify(query)) as unknown;
}

function measureWarm(dialect: Dialect, q: NamedQuery): BenchResult {
  const samples = pairSync(() => compile(dialect, q.query), () => roundTrip(q.query), BOUNDS);
  const figure: Measurement = { label: COMPILE_LABEL, unit: 'µs', stats: summarizeDurations(samples.a, 'µs') };
  const baseline: Measurement = { label: BASELINE_LABEL, unit: 'µs', stats: summarizeDurations(samples.b, 'µs') };
  return compare(`${dialect} · ${q.name}`, figure, baseline);
}

/**
 * A zone's transition table is derived once per process, on its first use by any dialect. Each
 * sample is the first compile in a zone nothing else touched, against the warm compile of the
 * same query in a zone already known.
 */
function measureFirstZoneUse(tzQuery: NamedQuery, warm: BenchResult): BenchResult {
  const samples = timeEach(FRESH_ZONES, (zone) => compile('postgres', inZone(tzQuery.query, zone)));
  const figure: Measurement = { label: 'compileQuery, first use of a zone', unit: 'µs', stats: summarizeDurations(samples, 'µs') };
  return compare('postgres · time zone, first use of the zone', figure, { ...warm.baseline, label: 'compileQuery, zone already used', stats: warm.figure.stats }, {
    notes: [
      `one sample per fresh zone (${FRESH_ZONES.length} zones), once per process for all dialects; the baseline is the warm figure of the row above`,
    ],
  });
}

const suite: BenchSuite = {
  name: 'compile',
  description: 'µs per compileQuery, per query and dialect, against a JSON round-trip of the same query',
  async run() {
    const dialectNames = Object.keys(dialects) as Dialect[];
    const tzQuery = QUERIES.find((q) => q.name.startsWith('time zone'));
    if (!tzQuery) throw new Error('the query set lost its time-zone query');
    // Warm every path first so the fresh-zone samples below carry the zone cost only.
    for (const dialect of dialectNames) for (const q of QUERIES) for (let i = 0; i < 20; i++) compile(dialect, q.query);
    const results: BenchResult[] = [];
    for (const dialect of dialectNames) {
      progress(`compile · ${dialect}`);
      for (const q of QUERIES) {
        const result = measureWarm(dialect, q);
        results.push(result);
        if (dialect === 'postgres' && q === tzQuery) results.push(measureFirstZoneUse(tzQuery, result));
      }
    }
    return results;
  },
};

export default suite;
