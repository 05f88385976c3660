/**
 * The compiled SQL runs on real SQLite, PostgreSQL and MariaDB and returns the same decoded
 * rows, the ones the contract says. Under CI=true a missing database fails the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery, createRowDecoder } from '../index';
import type { FormulaDef } from '../types';
import { COLUMNS, FORMULAS } from './fixture';
import { mysqlRunner, pgRunner, sqliteRunner, type Runner } from './databases';

interface Case {
  name: string;
  query: unknown;
  formulas?: FormulaDef[];
  maxRows?: number;
  expected: unknown[][];
  /** Numbers must be equal, not just close: exact decimal arithmetic. */
  exact?: boolean;
}

const P = 'Europe/Paris';
const cases: Case[] = [
  {
    name: 'text groups in binary order, NULL first, sums exact',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }, { agg: 'sum', field: 'amount' }] },
    expected: [[null, 1, null], ['Lyon', 2, 152.5], ['Paris', 2, 19.85], ['Zürich', 1, 0.2], ['paris', 1, -12.35], ['élan', 1, 0.1]],
  },
  {
    name: 'one row without dimensions, sum of no rows NULL',
    query: { measures: [{ agg: 'count' }, { agg: 'sum', field: 'amount' }, { agg: 'count', field: 'qty' }], filters: [{ field: 'city', op: 'eq', value: 'nowhere' }] },
    expected: [[0, null, 0]],
  },
  {
    name: 'contains treats % literally, raw rows in table order of columns',
    query: { filters: [{ field: 'note', op: 'contains', value: '%' }], orderBy: [{ field: 'id' }] },
    expected: [
      [1, 'Paris', 12.35, 3, true, '2024-03-30', '2024-03-30T22:30:00.000Z', 'a%b'],
      [8, 'Paris', 7.5, -3, true, '2024-02-29', '2024-02-29T12:00:00.123Z', '%'],
    ],
  },
  {
    name: 'starts_with treats _ literally and is case-sensitive',
    query: { dimensions: ['id'], filters: [{ or: [{ field: 'note', op: 'starts_with', value: 'a_' }, { field: 'city', op: 'starts_with', value: 'pa' }] }] },
    expected: [[2], [4]],
  },
  {
    name: 'numeric semantics: ROUND half away from zero, %, division by zero',
    formulas: [
      { name: 'r1', expression: 'ROUND([amount], 1)' },
      { name: 'r2', expression: 'ROUND(150, -2)' },
      { name: 'r3', expression: 'ROUND(2.5)' },
      { name: 'm1', expression: '7.5 % 2' },
      { name: 'm2', expression: '-7.5 % 2' },
      { name: 'z1', expression: '[qty] / 0' },
      { name: 'z2', expression: '5 % 0' },
      { name: 'd1', expression: '7 / 2' },
      { name: 'r4', expression: 'ROUND(-2.5) + ROUND(1.005, 2) * 1000' },
    ],
    query: { dimensions: ['id', 'r1', 'r2', 'r3', 'm1', 'm2', 'z1', 'z2', 'd1', 'r4'], filters: [{ field: 'id', op: 'in', values: [1, 2] }] },
    expected: [[1, 12.4, 200, 3, 1.5, -1.5, null, null, 3.5, 1007], [2, -12.4, 200, 3, 1.5, -1.5, null, null, 3.5, 1007]],
  },
  {
    name: 'text functions: Unicode case, code point length, TRIM spaces, standard SUBSTR, CONCAT',
    formulas: [
      { name: 'u', expression: 'UPPER([city])' },
      { name: 'l', expression: 'LOWER([city])' },
      { name: 'n', expression: 'LENGTH([note])' },
      { name: 't', expression: "CONCAT('<', TRIM([note]), '>')" },
      { name: 's1', expression: "SUBSTR('abc', 0, 2)" },
      { name: 's2', expression: "SUBSTR('abc', 2)" },
      { name: 's3', expression: "SUBSTR('abc', 2, -1)" },
      { name: 'c', expression: "CONCAT([city], '-', [qty], '-', [flag], '-', [day], '-', [amount], '-', [ts])" },
    ],
    query: { dimensions: ['id', 'u', 'l', 'n', 't', 's1', 's2', 's3', 'c'], filters: [{ field: 'id', op: 'in', values: [3, 4, 6] }] },
    expected: [
      [3, 'LYON', 'lyon', 7, '<pad>', 'a', 'bc', null, 'Lyon--true-2024-10-26-150-2024-10-27T00:30:00.000Z'],
      [4, 'ÉLAN', 'élan', 3, '<a_b>', 'a', 'bc', null, 'élan-7--2024-10-27-0.1-2024-10-27T01:30:00.000Z'],
      [6, null, null, 7, '<Ωmega ß>', 'a', 'bc', null, '-0-true-2024-01-01--'],
    ],
  },
  {
    name: 'hour buckets in Paris: the repeated hour is two buckets',
    query: { dimensions: [{ field: 'ts', granularity: 'hour' }], measures: [{ agg: 'count' }], timezone: P },
    expected: [
      [null, 1], ['2024-01-01T00:00:00.000Z', 1], ['2024-02-29T12:00:00.000Z', 1], ['2024-03-30T22:00:00.000Z', 1],
      ['2024-03-31T00:00:00.000Z', 1], ['2024-10-27T00:00:00.000Z', 1], ['2024-10-27T01:00:00.000Z', 1], ['2024-12-31T23:00:00.000Z', 1],
    ],
  },
  {
    name: 'day, week, month, quarter, year in Paris',
    query: {
      dimensions: ['id', { field: 'ts', granularity: 'day' }, { field: 'ts', granularity: 'week' }, { field: 'ts', granularity: 'month' }, { field: 'ts', granularity: 'quarter' }, { field: 'ts', granularity: 'year' }, { field: 'day', granularity: 'week' }],
      timezone: P,
    },
    expected: [
      [1, '2024-03-30', '2024-03-25', '2024-03-01', '2024-01-01', '2024-01-01', '2024-03-25'],
      [2, '2024-03-31', '2024-03-25', '2024-03-01', '2024-01-01', '2024-01-01', '2024-03-25'],
      [3, '2024-10-27', '2024-10-21', '2024-10-01', '2024-10-01', '2024-01-01', '2024-10-21'],
      [4, '2024-10-27', '2024-10-21', '2024-10-01', '2024-10-01', '2024-01-01', '2024-10-21'],
      [5, '2025-01-01', '2024-12-30', '2025-01-01', '2025-01-01', '2025-01-01', null],
      [6, null, null, null, null, null, '2024-01-01'],
      [7, '2024-01-01', '2024-01-01', '2024-01-01', '2024-01-01', '2024-01-01', '2023-12-25'],
      [8, '2024-02-29', '2024-02-26', '2024-02-01', '2024-01-01', '2024-01-01', '2024-02-26'],
    ],
  },
  {
    name: 'wall-clock filter values are in the query zone; Z values are instants',
    query: {
      measures: [{ agg: 'count', as: 'n' }],
      filters: [{ field: 'ts', op: 'gte', value: '2024-10-27 02:30' }, { field: 'ts', op: 'lt', value: '2024-12-31T23:59:59.999Z' }],
      timezone: P,
    },
    expected: [[2]],
  },
  {
    name: 'DATE_DIFF on local calendar dates and elapsed units; YEAR/MONTH/DAY local',
    formulas: [
      { name: 'dd', expression: "DATE_DIFF('day', [day], [ts])" },
      { name: 'dw', expression: "DATE_DIFF('week', [ts], [day])" },
      { name: 'dm', expression: "DATE_DIFF('month', [day], [ts])" },
      { name: 'dy', expression: "DATE_DIFF('year', [day], [ts])" },
      { name: 'dh', expression: "DATE_DIFF('hour', [ts], [day])" },
      { name: 'ds', expression: "DATE_DIFF('second', [day], [ts])" },
      { name: 'ymd', expression: "CONCAT(YEAR([ts]), '/', MONTH([ts]), '/', DAY([ts]))" },
    ],
    query: { dimensions: ['id', 'dd', 'dw', 'dm', 'dy', 'dh', 'ds', 'ymd'], filters: [{ field: 'id', op: 'in', values: [3, 5, 7, 8] }], timezone: P },
    expected: [
      [3, 1, 0, 0, 0, -24, 88200, '2024/10/27'],
      [5, null, null, null, null, null, null, '2025/1/1'],
      [7, 1, 0, 1, 1, -24, 86400, '2024/1/1'],
      [8, 0, 0, 0, 0, -12, 43200, '2024/2/29'],
    ],
  },
  {
    name: 'having and orderBy on output names, dimensions as tie-breakers',
    query: { dimensions: ['city'], measures: [{ agg: 'sum', field: 'amount' }], having: [{ field: 'sum_amount', op: 'gt', value: 1 }], orderBy: [{ field: 'sum_amount', dir: 'desc' }] },
    expected: [['Lyon', 152.5], ['Paris', 19.85]],
  },
  {
    name: 'NULLs first ascending, last descending',
    query: { dimensions: ['amount'], orderBy: [{ field: 'amount', dir: 'desc' }], limit: 3 },
    expected: [[150], [12.35], [7.5]],
  },
  {
    name: 'NULLs first ascending',
    query: { dimensions: ['amount'], limit: 2 },
    expected: [[null], [-12.35]],
  },
  {
    name: 'aggregates: distinct, min/max of text, booleans and timestamps, avg exact',
    query: {
      measures: [
        { agg: 'count_distinct', field: 'city' }, { agg: 'min', field: 'city' }, { agg: 'max', field: 'city' },
        { agg: 'min', field: 'flag' }, { agg: 'max', field: 'flag' }, { agg: 'min', field: 'ts' }, { agg: 'max', field: 'ts' },
        { agg: 'avg', field: 'qty' }, { formula: 'ratio' },
      ],
    },
    expected: [[5, 'Lyon', 'élan', false, true, '2024-01-01T00:00:00.000Z', '2024-12-31T23:59:59.999Z', 18 / 7, 160.3 / 18]],
  },
  {
    name: 'NULL matches no comparison; not of unknown stays unknown; between and in',
    query: {
      measures: [{ agg: 'count', as: 'n' }],
      filters: [{ not: { field: 'city', op: 'eq', value: 'Paris' } }, { field: 'amount', op: 'between', values: [0.1, 2.5] }, { field: 'city', op: 'not_in', values: ['x'] }],
    },
    expected: [[3]],
  },
  {
    name: 'reversed between matches nothing; booleans filter',
    query: { measures: [{ agg: 'count', as: 'a' }], filters: [{ or: [{ field: 'amount', op: 'between', values: [2.5, 0.1] }, { field: 'flag', op: 'eq', value: true }] }] },
    expected: [[4]],
  },
  {
    name: 'row formula inside an aggregate and as a filter',
    query: { measures: [{ agg: 'sum', field: 'revenue' }], filters: [{ field: 'big', op: 'eq', value: true }] },
    expected: [[12.35 * 3 + 7.5 * -3]],
  },
  {
    name: 'decimals are exact: sums, products, literals, %',
    formulas: [
      { name: 'p', expression: '[amount] * 3' },
      { name: 'q', expression: '0.1 + 0.2' },
      { name: 'm', expression: '[amount] % 0.1' },
      { name: 'd', expression: '0.3 / 0.1' },
    ],
    query: { dimensions: ['id', 'p', 'q', 'm', 'd'], measures: [{ agg: 'sum', field: 'amount' }, { agg: 'avg', field: 'amount' }], filters: [{ field: 'id', op: 'in', values: [1, 4] }] },
    exact: true,
    expected: [[1, 37.05, 0.3, 0.05, 3, 12.35, 12.35], [4, 0.3, 0.3, 0, 3, 0.1, 0.1]],
  },
  {
    name: 'decimal sums are exact across rows; trailing spaces are significant',
    query: { measures: [{ agg: 'sum', field: 'amount', as: 's' }, { agg: 'count', as: 'n' }], filters: [{ field: 'id', op: 'in', values: [4, 5] }, { not: { field: 'city', op: 'eq', value: 'élan ' } }] },
    exact: true,
    expected: [[0.3, 2]],
  },
  {
    name: 'truncation: maxRows + 1 rows fetched',
    query: { dimensions: ['id'] },
    maxRows: 3,
    expected: [[1], [2], [3], [4]],
  },
];

const runners: Runner[] = [];

beforeAll(async () => {
  runners.push(sqliteRunner());
  for (const make of [pgRunner, mysqlRunner]) {
    const r = await make();
    if (r) runners.push(r);
  }
});

afterAll(async () => {
  for (const r of runners) await r.close();
});

function close(actual: unknown[][], expected: unknown[][], exact: boolean): void {
  if (exact) {
    expect(actual).toEqual(expected);
    return;
  }
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) =>
    row.forEach((v, j) => {
      const e = expected[i]![j];
      if (typeof e === 'number' && typeof v === 'number') expect(v, `row ${i} column ${j}`).toBeCloseTo(e, 9);
      else expect(v, `row ${i} column ${j}`).toEqual(e);
    }),
  );
}

describe('compiled SQL on real databases', () => {
  for (const c of cases) {
    it(c.name, async () => {
      for (const runner of runners) {
        const compiled = compileQuery({
          dialect: runner.dialect,
          source: { kind: 'table', table: 't' },
          columns: COLUMNS,
          formulas: [...FORMULAS, ...(c.formulas ?? [])],
          query: c.query,
          ...(c.maxRows !== undefined ? { maxRows: c.maxRows } : {}),
        });
        let raw;
        try {
          raw = await runner.run(compiled.sql, compiled.params);
        } catch (e) {
          throw new Error(`${runner.dialect}: ${(e as Error).message}\n${compiled.sql}`);
        }
        const decode = createRowDecoder(runner.dialect, compiled.columns);
        const rows = raw.map(decode);
        try {
          close(rows, c.expected, c.exact ?? false);
        } catch (e) {
          throw new Error(`${runner.dialect}: ${(e as Error).message}\nrows: ${JSON.stringify(rows)}`);
        }
      }
    });
  }

  it('runs on all three databases', () => {
    expect(runners.map((r) => r.dialect).sort()).toEqual(process.env.CI === 'true' ? ['mysql', 'postgres', 'sqlite'] : runners.map((r) => r.dialect).sort());
  });

  it.each(['SELECT * FROM t WHERE id < 3 ;\n ', 'SELECT * FROM t WHERE id < 3 -- two rows'])('runs against a custom SQL source: %j', async (text) => {
    for (const runner of runners) {
      const compiled = compileQuery({
        dialect: runner.dialect,
        source: { kind: 'sql', sql: text },
        columns: COLUMNS,
        formulas: [],
        query: { measures: [{ agg: 'count' }] },
      });
      const rows = (await runner.run(compiled.sql, compiled.params)).map(createRowDecoder(runner.dialect, compiled.columns));
      expect(rows, runner.dialect).toEqual([[2]]);
    }
  });
});
