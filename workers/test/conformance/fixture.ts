/**
 * The conformance fixture: one dataset loaded identically into PostgreSQL, MariaDB and SQLite.
 *
 * `core` is written by hand so every expected result in the cases can be derived on paper: each
 * row belongs to a `grp` made for one family of checks (text, numbers, dates, daylight-saving
 * changes, date differences), and a query usually filters on one group. `bulk` is a few
 * thousand generated rows (seeded, so identical on every run) for cross-dialect checks on volume.
 */

/** One fixture row. Decimals are kept as text so they stay exact up to the database. */
export interface FixtureRow {
  id: number;
  grp: string | null;
  city: string | null;
  label: string | null;
  amount: string | null;
  qty: number | null;
  ratio: number | null;
  flag: boolean | null;
  d: string | null;
  d2: string | null;
  /** An instant, always written `YYYY-MM-DDTHH:MM:SS.sssZ`. */
  ts: string | null;
  ts2: string | null;
}

export const FIXTURE_COLUMNS = [
  'id', 'grp', 'city', 'label', 'amount', 'qty', 'ratio', 'flag', 'd', 'd2', 'ts', 'ts2',
] as const satisfies readonly (keyof FixtureRow)[];

export type FixtureColumn = (typeof FIXTURE_COLUMNS)[number];

const EMPTY: Omit<FixtureRow, 'id' | 'grp'> = {
  city: null, label: null, amount: null, qty: null, ratio: null, flag: null,
  d: null, d2: null, ts: null, ts2: null,
};

function row(id: number, grp: string | null, values: Partial<Omit<FixtureRow, 'id' | 'grp'>>): FixtureRow {
  return { id, grp, ...EMPTY, ...values };
}

/** Text: case variants, binary order traps (U+FF46 sorts before an emoji by code point but not
 * by UTF-16 unit), LIKE wildcards, quotes, backslashes, SQL comment markers. qty = id. */
const TEXT_ROWS: FixtureRow[] = [
  row(1, 'txt', { city: 'Paris', label: '100%', qty: 1 }),
  row(2, 'txt', { city: 'paris', label: '100 percent', qty: 2 }),
  row(3, 'txt', { city: 'PARIS', label: 'a_b', qty: 3 }),
  row(4, 'txt', { city: 'Paris', label: 'axb', qty: 4 }),
  row(5, 'txt', { city: 'Zürich', label: "O'Brien", qty: 5 }),
  row(6, 'txt', { city: 'Ängelholm', label: 'C:\\temp\\new', qty: 6 }),
  row(7, 'txt', { city: '日本', label: '50% off_now', qty: 7 }),
  row(8, 'txt', { city: '😀 smile', label: '  padded  ', qty: 8 }),
  row(9, 'txt', { city: 'ｆull', label: ' \tx ', qty: 9 }),
  row(10, 'txt', { city: '', label: '', qty: 10 }),
  row(11, 'txt', { city: null, label: null, qty: 11 }),
  row(12, 'txt', { city: 'Straße', label: 'say "hi"', qty: 12 }),
  row(13, 'txt', { city: 'école', label: 'ÉCOLE', qty: 13 }),
  row(14, 'txt', { city: 'paris', label: 'x--y/*z*/;', qty: 14 }),
];

/** Numbers: signs, halves (2.5, 12.35, 1.005, 2.675 are not exact as doubles), zeros, NULLs.
 * city is a small grouping key here. */
const NUMBER_ROWS: FixtureRow[] = [
  row(21, 'num', { city: 'A', amount: '2.5', qty: 7, ratio: 0.5, flag: true }),
  row(22, 'num', { city: 'A', amount: '-2.5', qty: -7, ratio: -0.25, flag: false }),
  row(23, 'num', { city: 'B', amount: '12.35', qty: 2, ratio: 1.5, flag: true }),
  row(24, 'num', { city: 'B', amount: '-12.35', qty: 3, ratio: null, flag: null }),
  row(25, 'num', { city: 'A', amount: '0', qty: 0, ratio: 0, flag: false }),
  row(26, 'num', { city: 'B', amount: '150', qty: 10, ratio: 2, flag: true }),
  row(27, 'num', { city: null, amount: '149.99', qty: 4, ratio: 0.1, flag: null }),
  row(28, 'num', { city: 'A', amount: null, qty: null, ratio: null, flag: false }),
  row(29, 'num', { city: 'B', amount: '0.0001', qty: 1, ratio: 0.75, flag: true }),
  row(30, 'num', { city: null, amount: '-0.5', qty: -3, ratio: -1.25, flag: true }),
  row(31, 'num', { city: 'A', amount: '1234.5678', qty: 100, ratio: 3.75, flag: null }),
  row(32, 'num', { city: 'B', amount: '7.5', qty: 5, ratio: 0.125, flag: false }),
  row(33, 'num', { city: 'C', amount: '-7.5', qty: -5, ratio: null, flag: true }),
  row(34, 'num', { city: 'C', amount: '1.005', qty: 2, ratio: 0.5, flag: null }),
  row(35, 'num', { city: 'C', amount: '2.675', qty: -2, ratio: -0.5, flag: false }),
];

/** Dates at year, quarter and ISO-week boundaries (2021-01-03 is a Sunday, 2021-01-04 a
 * Monday, 2019-12-30 the Monday starting ISO week 2020-W01), with instants near midnight
 * whose local date differs between zones. */
const DATE_ROWS: FixtureRow[] = [
  row(41, 'date', { d: '2019-12-30', ts: '2019-12-31T23:30:00.000Z' }),
  row(42, 'date', { d: '2020-02-29', ts: '2020-02-29T12:00:00.000Z' }),
  row(43, 'date', { d: '2020-12-31', ts: '2020-12-31T22:59:59.999Z' }),
  row(44, 'date', { d: '2021-01-01', ts: '2020-12-31T23:00:00.000Z' }),
  row(45, 'date', { d: '2021-01-03', ts: '2021-01-03T23:30:00.000Z' }),
  row(46, 'date', { d: '2021-01-04', ts: '2021-01-04T04:59:00.000Z' }),
  row(47, 'date', { d: '2021-03-31', ts: '2021-03-31T13:30:00.000Z' }),
  row(48, 'date', { d: '2021-04-01', ts: '2021-04-01T03:00:00.000Z' }),
  row(49, 'date', { d: '2021-06-30', ts: '2021-06-30T22:30:00.000Z' }),
  row(50, 'date', { d: '2021-07-01', ts: '2021-07-01T02:00:00.000Z' }),
  row(51, 'date', { d: '2021-12-31', ts: '2022-01-01T04:30:00.000Z' }),
  row(52, 'date', {}),
];

/** Instants around the 2021 daylight-saving changes.
 * Europe/Paris: +1 → +2 at 2021-03-28T01:00Z; +2 → +1 at 2021-10-31T01:00Z (02:00–03:00 twice).
 * America/New_York: −5 → −4 at 2021-03-14T07:00Z; −4 → −5 at 2021-11-07T06:00Z (01:00–02:00 twice).
 * Australia/Sydney: +11 → +10 at 2021-04-03T16:00Z (02:00–03:00 twice); +10 → +11 at 2021-10-02T16:00Z. */
const DST_ROWS: FixtureRow[] = [
  row(61, 'dst_paris', { ts: '2021-10-30T22:30:00.000Z' }),
  row(62, 'dst_paris', { ts: '2021-10-31T00:15:00.000Z' }),
  row(63, 'dst_paris', { ts: '2021-10-31T00:45:00.000Z' }),
  row(64, 'dst_paris', { ts: '2021-10-31T01:15:00.000Z' }),
  row(65, 'dst_paris', { ts: '2021-10-31T01:59:59.999Z' }),
  row(66, 'dst_paris', { ts: '2021-10-31T02:00:00.000Z' }),
  row(67, 'dst_paris', { ts: '2021-10-31T22:59:59.000Z' }),
  row(68, 'dst_paris', { ts: '2021-10-31T23:00:00.000Z' }),
  row(69, 'dst_paris', { ts: '2021-03-27T23:00:00.000Z' }),
  row(70, 'dst_paris', { ts: '2021-03-28T00:59:59.000Z' }),
  row(71, 'dst_paris', { ts: '2021-03-28T01:00:00.000Z' }),
  row(72, 'dst_paris', { ts: '2021-03-28T22:00:00.000Z' }),
  row(73, 'dst_ny', { ts: '2021-03-14T06:59:59.000Z' }),
  row(74, 'dst_ny', { ts: '2021-03-14T07:00:00.000Z' }),
  row(75, 'dst_ny', { ts: '2021-11-07T04:00:00.000Z' }),
  row(76, 'dst_ny', { ts: '2021-11-07T05:30:00.000Z' }),
  row(77, 'dst_ny', { ts: '2021-11-07T06:30:00.000Z' }),
  row(78, 'dst_ny', { ts: '2021-11-08T05:00:00.000Z' }),
  row(79, 'dst_syd', { ts: '2021-04-03T15:30:00.000Z' }),
  row(80, 'dst_syd', { ts: '2021-04-03T16:30:00.000Z' }),
  row(81, 'dst_syd', { ts: '2021-10-02T15:30:00.000Z' }),
  row(82, 'dst_syd', { ts: '2021-10-02T16:00:00.000Z' }),
  row(83, 'dst_syd', { ts: '2021-04-03T13:00:00.000Z' }),
];

/** Pairs for DATE_DIFF: ts → ts2 and d → d2, forwards, backwards, across a leap day and DST. */
const DIFF_ROWS: FixtureRow[] = [
  row(91, 'diff', { ts: '2021-01-01T00:00:00.000Z', ts2: '2021-01-02T23:59:59.000Z', d: '2020-12-31', d2: '2021-01-04' }),
  row(92, 'diff', { ts: '2020-12-31T23:30:00.000Z', ts2: '2021-01-01T00:10:00.000Z', d: '2019-12-30', d2: '2021-01-03' }),
  row(93, 'diff', { ts: '2021-03-15T12:00:00.000Z', ts2: '2021-01-10T00:00:00.000Z', d: '2021-01-31', d2: '2021-02-28' }),
  row(94, 'diff', { ts: '2021-10-30T22:30:00.000Z', ts2: '2021-10-31T22:30:00.000Z', d: '2021-03-01', d2: '2021-02-28' }),
  row(95, 'diff', { ts: '2021-03-27T23:30:00.000Z', ts2: '2021-03-28T22:30:00.000Z', d: '2020-02-29', d2: '2021-02-28' }),
  row(96, 'diff', { ts: '2021-01-01T00:00:00.000Z', ts2: null, d: '2021-01-01', d2: null }),
];

/** Far from the present: zone rules of 1950 and 1969, and of 2040 (past any 2037 horizon),
 * dates before 1900 and a leap day of 2040. */
const FAR_ROWS: FixtureRow[] = [
  row(110, 'far', { ts: '1969-07-20T20:17:40.000Z', d: '1969-12-31' }),
  row(111, 'far', { ts: '2040-07-01T03:30:00.000Z', d: '2040-02-29' }),
  row(112, 'far', { ts: '2040-11-04T05:30:00.000Z', d: '1900-01-01' }),
  row(113, 'far', { ts: '2040-11-04T06:30:00.000Z', d: '1899-12-31' }),
  row(114, 'far', { ts: '1950-06-15T12:00:00.000Z' }),
];

/** Values that differ only by trailing spaces: three values everywhere, though PAD SPACE
 * collations (MariaDB's) compare them equal. */
const PAD_ROWS: FixtureRow[] = [
  row(120, 'pad', { city: 'x', label: 'x' }),
  row(121, 'pad', { city: 'x ', label: 'x' }),
  row(122, 'pad', { city: 'x  ', label: ' x' }),
];

/** A row that is NULL everywhere, group included. */
const NULL_ROWS: FixtureRow[] = [row(100, null, {})];

export const CORE_ROWS: readonly FixtureRow[] = [
  ...TEXT_ROWS, ...NUMBER_ROWS, ...DATE_ROWS, ...DST_ROWS, ...DIFF_ROWS, ...FAR_ROWS, ...PAD_ROWS, ...NULL_ROWS,
];

export const BULK_SIZE = 3000;

/** mulberry32: small, fast and identical on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BULK_GROUPS = ['alpha', 'beta', 'gamma', 'delta'];
const BULK_CITIES: (string | null)[] = ['Paris', 'paris', 'Lyon', 'Zürich', '日本', 'São Paulo', 'New York', '', null];

function isoDay(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The generated rows. A fifth of the instants fall in the eight hours around the Paris autumn
 * change so hour buckets there are well filled; ratios are multiples of 1/8 so their sums are
 * exact in binary floating point; amounts have two decimals.
 */
export function bulkRows(): FixtureRow[] {
  const rand = prng(20211031);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const rows: FixtureRow[] = [];
  const day2019 = Date.UTC(2019, 0, 1) / 86_400_000;
  const start2020 = Date.UTC(2020, 0, 1) / 1000;
  const windowStart = Date.UTC(2021, 9, 30, 20) / 1000;
  for (let id = 1; id <= BULK_SIZE; id++) {
    const grp = BULK_GROUPS[int(0, BULK_GROUPS.length - 1)] ?? null;
    const city = BULK_CITIES[int(0, BULK_CITIES.length - 1)] ?? null;
    const label = `item-${int(0, 99)}`;
    const cents = int(-50_000, 149_999);
    const amount = rand() < 0.03 ? null : (cents / 100).toFixed(2);
    const qty = rand() < 0.05 ? null : int(-5, 50);
    const ratio = rand() < 0.05 ? null : int(-16, 64) / 8;
    const f = rand();
    const flag = f < 0.45 ? true : f < 0.9 ? false : null;
    const d = rand() < 0.03 ? null : isoDay(day2019 + int(0, 1095));
    const inWindow = rand() < 0.2;
    const seconds = inWindow ? windowStart + int(0, 8 * 3600 - 1) : start2020 + int(0, 2 * 366 * 86_400 - 1);
    const ts = rand() < 0.02 ? null : new Date(seconds * 1000).toISOString();
    rows.push({ id, grp, city, label, amount, qty, ratio, flag, d, d2: null, ts, ts2: null });
  }
  return rows;
}

/**
 * Column names no identifier should ever be spliced from: quotes of every dialect, comment and
 * statement markers, placeholders of every driver (`?`, `$1`), a backslash, spaces and unicode.
 * MariaDB refuses NUL and characters outside the BMP in names, so those appear only in values.
 */
export const HOSTILE_TEXT_COLUMNS = ["it's", 'dq"col', 'bt`col', 'semi;--col', 'back\\slash', 'q?mark', 'sp ace 日本', '/*c*/'] as const;
export const HOSTILE_NUMBER_COLUMN = '$1';

export type HostileRow = { id: number; [HOSTILE_NUMBER_COLUMN]: number | null } & Record<(typeof HOSTILE_TEXT_COLUMNS)[number], string | null>;

export const HOSTILE_ROWS: readonly HostileRow[] = [
  {
    id: 1, "it's": "O'Reilly", 'dq"col': 'say "x"', 'bt`col': 'a`b', 'semi;--col': "x'; DROP TABLE core; --",
    'back\\slash': 'C:\\dir\\', 'q?mark': 'what?', 'sp ace 日本': '日本語', '/*c*/': '/* not a comment */', $1: 1,
  },
  {
    id: 2, "it's": "\\'", 'dq"col': '\\"', 'bt`col': '\\`', 'semi;--col': '; SELECT 1;',
    'back\\slash': '\\\\', 'q?mark': '??', 'sp ace 日本': '😀', '/*c*/': '*/', $1: 2,
  },
  {
    id: 3, "it's": null, 'dq"col': null, 'bt`col': null, 'semi;--col': null,
    'back\\slash': null, 'q?mark': null, 'sp ace 日本': null, '/*c*/': null, $1: 3,
  },
  {
    id: 4, "it's": 'tab\tnew\nline\r', 'dq"col': '\u0001\u001f', 'bt`col': '\u2028\u2029', 'semi;--col': '%_',
    'back\\slash': '\\%\\_', 'q?mark': '$1', 'sp ace 日本': 'ｆ', '/*c*/': '--', $1: -4,
  },
];
