/**
 * Hostile input: quotes, comments, semicolons, backslashes, placeholders and unicode in field
 * names, values, `as` names, formula names and formula string literals; unknown fields; cycles;
 * huge IN lists. Each is a typed error or a correct result, and afterwards every table of every
 * database holds exactly what it held before.
 */
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormulaDef } from '../../../query/types';
import type { Cell, ErrorCode } from './case';
import { availableDialects, openFixtureDatabases, type FixtureDatabases, type FixtureTable, type FixtureTarget, type RunDialect } from './databases';
import { HOSTILE_NUMBER_COLUMN, HOSTILE_ROWS, HOSTILE_TEXT_COLUMNS } from './fixture';
import { KNOWN_FAILING_HOSTILE } from './known-failing';
import { compile, runQuery } from './run-case';

const SQLITE_FUNCTIONS = { moduleUrl: pathToFileURL(new URL('../../../query/index.ts', import.meta.url).pathname).href, exportName: 'sqliteFunctions' };

interface HostileCase {
  name: string;
  table?: FixtureTable;
  query: unknown;
  formulas?: FormulaDef[];
  /** The correct result, when there is one. */
  rows?: Cell[][];
  /** Output column names, when the case is about them. */
  columnNames?: string[];
  /** Acceptable error codes; with `rows` too, either outcome is acceptable. */
  errors?: ErrorCode[];
}

const ALL_CODES: ErrorCode[] = ['UNKNOWN_FIELD', 'FORMULA_SYNTAX', 'FORMULA_CYCLE', 'TYPE_MISMATCH', 'INVALID_QUERY'];
const hostile = (c: Omit<HostileCase, 'table'>): HostileCase => ({ table: 'hostile', ...c });
const idsOf = (pred: (r: (typeof HOSTILE_ROWS)[number]) => boolean): Cell[][] => HOSTILE_ROWS.filter(pred).map((r) => [r.id]);
const DROP = "'; DROP TABLE core; --";

const names: HostileCase[] = [
  ...HOSTILE_TEXT_COLUMNS.map((col) =>
    hostile({
      name: `read the column ${JSON.stringify(col)}`,
      query: { dimensions: ['id', col], orderBy: [{ field: 'id' }] },
      rows: HOSTILE_ROWS.map((r) => [r.id, r[col]]),
      columnNames: ['id', col],
    }),
  ),
  hostile({
    name: 'sum of the column "$1"',
    query: { measures: [{ agg: 'sum', field: HOSTILE_NUMBER_COLUMN }, { agg: 'count_distinct', field: 'semi;--col' }] },
    rows: [[2, 3]],
    columnNames: ['sum_$1', 'count_distinct_semi;--col'],
  }),
  hostile({
    name: 'group by a column named with a placeholder and order by another',
    query: { dimensions: ['q?mark'], measures: [{ agg: 'max', field: HOSTILE_NUMBER_COLUMN }], orderBy: [{ field: 'max_$1', dir: 'desc' }] },
    rows: [[null, 3], ['??', 2], ['what?', 1], ['$1', -4]],
  }),
  hostile({
    name: 'formulas over every hostile column',
    formulas: [
      { name: 'all', expression: `CONCAT(${HOSTILE_TEXT_COLUMNS.map((c) => `[${c}]`).join(', ')})` },
      { name: 'n', expression: '[$1] * 2' },
    ],
    query: { dimensions: ['id', 'all', 'n'], filters: [{ field: 'id', op: 'eq', value: 2 }] },
    rows: [[2, HOSTILE_TEXT_COLUMNS.map((c) => HOSTILE_ROWS[1]?.[c] ?? '').join(''), 4]],
  }),
  hostile({
    name: 'as names are returned exactly and never reach SQL',
    query: {
      dimensions: [{ field: 'it\'s', as: '/* */ -- ;' }],
      measures: [{ agg: 'count', as: `x"${DROP}` }, { agg: 'sum', field: '$1', as: "it's `q` ? $1" }],
      filters: [{ field: 'id', op: 'eq', value: 1 }],
    },
    rows: [["O'Reilly", 1, 1]],
    columnNames: ['/* */ -- ;', `x"${DROP}`, "it's `q` ? $1"],
  }),
  hostile({
    name: 'formula names with quotes and comment markers',
    formulas: [
      { name: `f${DROP}`, expression: '[$1] + 1' },
      { name: 'a"b`c\\d', expression: `[f${DROP}] * 10` },
    ],
    query: { dimensions: ['id', `f${DROP}`, 'a"b`c\\d'], filters: [{ field: 'id', op: 'eq', value: 4 }] },
    rows: [[4, -3, -30]],
    columnNames: ['id', `f${DROP}`, 'a"b`c\\d'],
  }),
];

const values: HostileCase[] = [
  ...HOSTILE_TEXT_COLUMNS.flatMap((col) =>
    HOSTILE_ROWS.filter((r) => r[col] !== null).map((r) =>
      hostile({
        name: `eq on ${JSON.stringify(col)} with ${JSON.stringify(r[col])}`,
        query: { dimensions: ['id'], filters: [{ field: col, op: 'eq', value: r[col] }] },
        rows: idsOf((x) => x[col] === r[col]),
      }),
    ),
  ),
  hostile({ name: 'contains a single quote', query: { dimensions: ['id'], filters: [{ field: "it's", op: 'contains', value: "'" }] }, rows: [[1], [2]] }),
  hostile({ name: 'contains a backslash', query: { dimensions: ['id'], filters: [{ field: 'back\\slash', op: 'contains', value: '\\' }] }, rows: [[1], [2], [4]] }),
  hostile({ name: 'contains a backslash and a percent', query: { dimensions: ['id'], filters: [{ field: 'back\\slash', op: 'contains', value: '\\%' }] }, rows: [[4]] }),
  hostile({ name: 'contains %_ literally', query: { dimensions: ['id'], filters: [{ field: 'semi;--col', op: 'contains', value: '%_' }] }, rows: [[4]] }),
  hostile({ name: 'contains a question mark', query: { dimensions: ['id'], filters: [{ field: 'q?mark', op: 'contains', value: '?' }] }, rows: [[1], [2]] }),
  hostile({ name: 'contains $1', query: { dimensions: ['id'], filters: [{ field: 'q?mark', op: 'contains', value: '$1' }] }, rows: [[4]] }),
  hostile({ name: 'starts_with a comment end', query: { dimensions: ['id'], filters: [{ field: '/*c*/', op: 'starts_with', value: '*/' }] }, rows: [[2]] }),
  hostile({ name: 'contains a newline', query: { dimensions: ['id'], filters: [{ field: "it's", op: 'contains', value: '\n' }] }, rows: [[4]] }),
  hostile({ name: 'contains a control character', query: { dimensions: ['id'], filters: [{ field: 'dq"col', op: 'contains', value: '\u0001' }] }, rows: [[4]] }),
  hostile({ name: 'contains a backtick', query: { dimensions: ['id'], filters: [{ field: 'bt`col', op: 'contains', value: '`' }] }, rows: [[1], [2]] }),
  hostile({ name: 'contains a line separator', query: { dimensions: ['id'], filters: [{ field: 'bt`col', op: 'contains', value: '\u2029' }] }, rows: [[4]] }),
  { name: 'an injection attempt as a value', query: { measures: [{ agg: 'count' }], filters: [{ field: 'city', op: 'eq', value: DROP }] }, rows: [[0]] },
  { name: 'a backslash-quote injection attempt as a value', query: { measures: [{ agg: 'count' }], filters: [{ field: 'city', op: 'eq', value: "\\'; DROP TABLE core; --" }] }, rows: [[0]] },
  { name: 'a lone backslash as a value', query: { measures: [{ agg: 'count' }], filters: [{ field: 'city', op: 'in', values: ['\\', '\\\\', "\\'"] }] }, rows: [[0]] },
  { name: 'a percent sign with eq is not a pattern', query: { measures: [{ agg: 'count' }], filters: [{ field: 'label', op: 'eq', value: '%' }] }, rows: [[0]] },
  { name: 'a NUL character in a value', query: { measures: [{ agg: 'count' }], filters: [{ field: 'city', op: 'eq', value: 'Par\u0000is' }] }, rows: [[0]], errors: ALL_CODES },
  { name: 'a value of a megabyte', query: { measures: [{ agg: 'count' }], filters: [{ field: 'city', op: 'contains', value: 'x'.repeat(1 << 20) }] }, rows: [[0]] },
  { name: 'a huge number', query: { measures: [{ agg: 'count' }], filters: [{ field: 'qty', op: 'gt', value: 1e308 }] }, rows: [[0]] },
  { name: 'NaN is not a value', query: { measures: [{ agg: 'count' }], filters: [{ field: 'qty', op: 'gt', value: Number.NaN }] }, errors: ['INVALID_QUERY', 'TYPE_MISMATCH'] },
  { name: 'Infinity is not a value', query: { measures: [{ agg: 'count' }], filters: [{ field: 'qty', op: 'lt', value: Number.POSITIVE_INFINITY }] }, errors: ['INVALID_QUERY', 'TYPE_MISMATCH'] },
  { name: 'an object is not a value', query: { measures: [{ agg: 'count' }], filters: [{ field: 'qty', op: 'eq', value: { $ne: 1 } }] }, errors: ['INVALID_QUERY', 'TYPE_MISMATCH'] },
  { name: 'an array is not a single value', query: { measures: [{ agg: 'count' }], filters: [{ field: 'qty', op: 'eq', value: [1, 2] }] }, errors: ['INVALID_QUERY', 'TYPE_MISMATCH'] },
  {
    name: 'a __proto__ key is an unknown key',
    query: JSON.parse('{"__proto__": {"dimensions": ["id"]}, "measures": [{"agg": "count"}]}') as unknown,
    errors: ['INVALID_QUERY'],
  },
];

const formulaText: HostileCase[] = [
  {
    name: 'string literals with quotes, comments, placeholders and a backslash',
    formulas: [{ name: 'f', expression: "CONCAT([label], ' -- ''; DROP TABLE core; --', '?', '$1', '/*', '\\', ';')" }],
    query: { dimensions: ['id', 'f'], filters: [{ field: 'id', op: 'in', values: [5, 11] }] },
    rows: [
      [5, "O'Brien -- '; DROP TABLE core; --?$1/*\\;"],
      [11, " -- '; DROP TABLE core; --?$1/*\\;"],
    ],
  },
  {
    name: 'string literals with unicode and control characters',
    formulas: [{ name: 'f', expression: "CONCAT('😀', '\u0001', 'é', '\t')" }, { name: 'n', expression: "LENGTH('😀\u0001é')" }],
    query: { dimensions: ['f', 'n'], filters: [{ field: 'id', op: 'eq', value: 1 }] },
    rows: [['😀\u0001é\t', 3]],
  },
  {
    name: 'a formula comparing with an injection attempt',
    formulas: [{ name: 'f', expression: `IF([city] = '''; DROP TABLE core; --', 1, 0)` }],
    query: { measures: [{ agg: 'sum', field: 'f' }] },
    rows: [[0]],
  },
  { name: 'a statement after a formula', formulas: [{ name: 'f', expression: '1); DROP TABLE core; --' }], query: { dimensions: ['f'] }, errors: ['FORMULA_SYNTAX'] },
  { name: 'a block comment in a formula', formulas: [{ name: 'f', expression: '[qty] /* c */ + 1' }], query: { dimensions: ['f'] }, errors: ['FORMULA_SYNTAX'] },
  {
    name: 'two minus signs are not a comment',
    formulas: [{ name: 'f', expression: '[qty] --1' }],
    query: { dimensions: ['id', 'f'], filters: [{ field: 'id', op: 'eq', value: 21 }] },
    rows: [[21, 8]],
    errors: ['FORMULA_SYNTAX'],
  },
  { name: 'a SQL operator is not a formula operator', formulas: [{ name: 'f', expression: "'a' || 'b'" }], query: { dimensions: ['f'] }, errors: ['FORMULA_SYNTAX'] },
  { name: 'SLEEP is not a function', formulas: [{ name: 'f', expression: 'SLEEP(5)' }], query: { dimensions: ['f'] }, errors: ['FORMULA_SYNTAX'] },
  { name: 'pg_sleep is not a function', formulas: [{ name: 'f', expression: 'pg_sleep(1)' }], query: { dimensions: ['f'] }, errors: ['FORMULA_SYNTAX'] },
  { name: 'LOAD_FILE is not a function', formulas: [{ name: 'f', expression: "LOAD_FILE('/etc/passwd')" }], query: { dimensions: ['f'] }, errors: ['FORMULA_SYNTAX'] },
  { name: "the engine's own SQLite helpers are not functions", formulas: [{ name: 'f', expression: 'sl_round(1, 1)' }], query: { dimensions: ['f'] }, errors: ['FORMULA_SYNTAX'] },
  {
    name: 'an injection attempt as a DATE_TRUNC unit',
    formulas: [{ name: 'f', expression: "DATE_TRUNC('month''; DROP TABLE core; --', [ts])" }],
    query: { dimensions: ['f'] },
    errors: ALL_CODES,
  },
  { name: 'an injection attempt as a DATE_DIFF unit', formulas: [{ name: 'f', expression: "DATE_DIFF('day; DROP TABLE core', [ts], [ts2])" }], query: { dimensions: ['f'] }, errors: ALL_CODES },
  {
    name: 'deeply nested parentheses',
    formulas: [{ name: 'f', expression: `${'('.repeat(500)}1${')'.repeat(500)}` }],
    query: { dimensions: ['f'], filters: [{ field: 'id', op: 'eq', value: 1 }] },
    rows: [[1]],
    errors: ['FORMULA_SYNTAX', 'INVALID_QUERY'],
  },
  {
    name: 'a chain of fifty formulas',
    formulas: Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, expression: i === 0 ? '[qty]' : `[f${i - 1}] + 1` })),
    query: { dimensions: ['id', 'f49'], filters: [{ field: 'id', op: 'eq', value: 21 }] },
    rows: [[21, 56]],
  },
];

const unknown: HostileCase[] = [
  ...["id; DROP TABLE core", 'id"', '`id`', '"id"', "it's ", 'ID', 'src.id', 'core.id', '*', 'd0', 'o0', 'm0', 'a0', '1'].map(
    (field): HostileCase => hostile({ name: `unknown field ${JSON.stringify(field)}`, query: { dimensions: [field] }, errors: ['UNKNOWN_FIELD'] }),
  ),
  hostile({ name: 'an empty field name', query: { dimensions: [''] }, errors: ['UNKNOWN_FIELD', 'INVALID_QUERY'] }),
  { name: 'an internal alias in having', query: { dimensions: ['city'], measures: [{ agg: 'count' }], having: [{ field: 'm0', op: 'gt', value: 0 }] }, errors: ['UNKNOWN_FIELD'] },
  { name: 'an internal alias in orderBy', query: { dimensions: ['city'], orderBy: [{ field: 'o0' }] }, errors: ['UNKNOWN_FIELD'] },
  { name: 'an unknown field with an injection attempt in a formula', formulas: [{ name: 'f', expression: `[nope${DROP}]` }], query: { dimensions: ['f'] }, errors: ['UNKNOWN_FIELD'] },
  {
    name: 'a cycle through formulas with hostile names',
    formulas: [
      { name: "a'--", expression: '[b"/*] + 1' },
      { name: 'b"/*', expression: "[a'--] * 2" },
    ],
    query: { dimensions: ["a'--"] },
    errors: ['FORMULA_CYCLE'],
  },
  { name: 'an injection attempt as a timezone', query: { measures: [{ agg: 'count' }], timezone: `UTC${DROP}` }, errors: ['INVALID_QUERY'] },
  { name: 'a timezone with a NUL', query: { measures: [{ agg: 'count' }], timezone: 'Europe/Paris\u0000' }, errors: ['INVALID_QUERY'] },
  { name: 'a path as a timezone', query: { measures: [{ agg: 'count' }], timezone: '../../../../etc/passwd' }, errors: ['INVALID_QUERY'] },
  { name: 'an injection attempt as a granularity', query: { dimensions: [{ field: 'ts', granularity: `month${DROP}` }] }, errors: ['INVALID_QUERY'] },
  { name: 'an injection attempt as an op', query: { dimensions: ['id'], filters: [{ field: 'id', op: 'eq; DROP TABLE core', value: 1 }] }, errors: ['INVALID_QUERY'] },
  { name: 'an injection attempt as an aggregate', query: { measures: [{ agg: 'sum); DROP TABLE core; --', field: 'qty' }] }, errors: ['INVALID_QUERY'] },
  { name: 'an injection attempt as a direction', query: { dimensions: ['id'], orderBy: [{ field: 'id', dir: 'desc; DROP TABLE core' }] }, errors: ['INVALID_QUERY'] },
  { name: 'an injection attempt as a limit', query: { dimensions: ['id'], limit: '1; DROP TABLE core' }, errors: ['INVALID_QUERY'] },
];

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const bigIn: HostileCase[] = [
  { name: 'an IN list of 10,000 integers', query: { measures: [{ agg: 'count' }], filters: [{ field: 'id', op: 'in', values: range(10_000) }] }, rows: [[79]] },
  { name: 'an IN list of 10,000 integers on the bulk table', table: 'bulk', query: { measures: [{ agg: 'count' }], filters: [{ field: 'id', op: 'in', values: range(10_000) }] }, rows: [[3000]] },
  {
    name: 'a NOT IN list of 10,000 integers',
    table: 'bulk',
    query: { measures: [{ agg: 'count' }], filters: [{ field: 'id', op: 'not_in', values: range(10_000).map((i) => i + 2990) }] },
    rows: [[2990]],
  },
  {
    name: 'an IN list of 10,000 hostile strings',
    query: {
      measures: [{ agg: 'count' }],
      filters: [{ field: 'city', op: 'in', values: [...range(9_998).map((i) => `'${i}"; --\\`), 'Paris', 'paris'] }],
    },
    rows: [[4]],
  },
  {
    name: 'an IN list of 40,000 integers',
    table: 'bulk',
    query: { measures: [{ agg: 'count' }], filters: [{ field: 'id', op: 'in', values: range(40_000) }] },
    rows: [[3000]],
    errors: ['INVALID_QUERY'],
  },
  {
    name: 'an IN list of 70,000 integers',
    table: 'bulk',
    query: { measures: [{ agg: 'count' }], filters: [{ field: 'id', op: 'in', values: range(70_000) }] },
    rows: [[3000]],
    errors: ['INVALID_QUERY'],
  },
];

const GROUPS: Record<string, HostileCase[]> = { names, values, 'formula text': formulaText, 'unknown names and bad shapes': unknown, 'huge IN lists': bigIn };

const dialects = await availableDialects();
let fixture: FixtureDatabases | undefined;
const before = new Map<RunDialect, string>();

beforeAll(async () => {
  fixture = await openFixtureDatabases(dialects, SQLITE_FUNCTIONS);
  for (const t of fixture.targets) before.set(t.dialect, await t.snapshot());
});

afterAll(async () => {
  await fixture?.close();
});

function target(dialect: RunDialect): FixtureTarget {
  const t = fixture?.targets.find((x) => x.dialect === dialect);
  if (!t) throw new Error(`${dialect} is not loaded`);
  return t;
}

function sameRows(got: Cell[][], want: Cell[][]): boolean {
  return got.length === want.length && got.every((row, i) => row.length === want[i]?.length && row.every((cell, j) => cell === want[i]?.[j]));
}

async function check(dialect: RunDialect, c: HostileCase): Promise<void> {
  const t = target(dialect);
  const table = c.table ?? 'core';
  const input = { dialect, table, columns: t.columns[table], ...(c.formulas ? { formulas: c.formulas } : {}), query: c.query };
  const compiled = compile(input);
  // Values, as names and formula names are bound or kept out of the SQL, never written into it.
  if (!('kind' in compiled)) expect(compiled.sql).not.toMatch(/DROP|SLEEP|O'Reilly|not a comment/i);
  const got = await runQuery(t.connector, input);
  if (got.kind === 'error') {
    expect(c.errors ?? [], `unexpected error ${got.code}: ${got.message}`).toContain(got.code);
    // A clear error names the problem; it is never empty.
    expect(got.message.length).toBeGreaterThan(10);
    return;
  }
  expect(c.rows, `expected an error (${(c.errors ?? []).join(' or ')}), got rows ${JSON.stringify(got.rows).slice(0, 200)}`).toBeDefined();
  if (c.columnNames) expect(got.columns.map((col) => col.name)).toEqual(c.columnNames);
  if (!sameRows(got.rows, c.rows ?? [])) expect(got.rows).toEqual(c.rows);
}

const seen = new Set<string>();
for (const [group, cases] of Object.entries(GROUPS)) {
  describe(group, () => {
    for (const c of cases) {
      if (seen.has(c.name)) throw new Error(`two cases are named "${c.name}"`);
      seen.add(c.name);
      describe(c.name, () => {
        for (const dialect of dialects) {
          const known = KNOWN_FAILING_HOSTILE[`${dialect}: ${c.name}`];
          if (known) it.fails(`${dialect} (known failing: ${known})`, () => check(dialect, c));
          else it(dialect, () => check(dialect, c));
        }
      });
    }
  });
}

it('lists no known failure for a case that does not exist', () => {
  expect(Object.keys(KNOWN_FAILING_HOSTILE).filter((k) => !seen.has(k.replace(/^[a-z]+: /, '')))).toEqual([]);
});

// Vitest runs a file's tests in order: this one comes after every hostile query.
describe('afterwards', () => {
  for (const dialect of dialects) {
    it(`${dialect}: every table and row is unchanged`, async () => {
      const now = await target(dialect).snapshot();
      expect(now).toBe(before.get(dialect));
      expect(now).toMatch(/core:79:/);
      expect(now).toMatch(/bulk:3000:/);
      expect(now).toMatch(/hostile:4:/);
    });
  }
});
