import { describe, expect, it } from 'vitest';
import { compileQuery, normalizeQuery } from '../index';
import type { SourceColumn } from '../types';
import { errorOf } from './helpers';

const columns: SourceColumn[] = [
  { name: 'country', type: 'string', nativeType: 'text' },
  { name: 'sales', type: 'number', nativeType: 'numeric' },
  { name: 'order_date', type: 'timestamp', nativeType: 'timestamptz' },
  { name: 'day', type: 'date', nativeType: 'date' },
  { name: 'paid', type: 'boolean', nativeType: 'boolean' },
];
const formulas = [
  { name: 'total', expression: 'SUM([sales])' },
  { name: 'double', expression: '[sales] * 2' },
  { name: 'broken', expression: '[gone] + 1' },
  { name: 'uses broken', expression: 'SUM([broken])' },
];

const compile = (query: unknown, maxRows?: number) =>
  compileQuery({ dialect: 'postgres', source: { kind: 'table', table: 'orders' }, columns, formulas, query, ...(maxRows ? { maxRows } : {}) });

describe('query shape', () => {
  it.each([
    [[], '', 'expected an object'],
    [{ dimension: ['country'] }, 'dimension', 'unknown key "dimension"'],
    [{ dimensions: 'country' }, 'dimensions', 'expected an array'],
    [{ dimensions: [{ field: 'day', granularity: 'decade' }] }, 'dimensions[0].granularity', 'expected one of'],
    [{ dimensions: [{ field: 'day', grain: 'day' }] }, 'dimensions[0].grain', 'unknown key'],
    [{ measures: [{ agg: 'median', field: 'sales' }] }, 'measures[0].agg', 'expected one of'],
    [{ measures: [{ agg: 'sum' }] }, 'measures[0]', 'needs a "field"'],
    [{ measures: [{ agg: 'sum', field: 'sales', formula: 'total' }] }, 'measures[0]', 'not both'],
    [{ filters: [{ field: 'sales', op: 'eq', value: null }] }, 'filters[0].value', 'use the is_null'],
    [{ filters: [{ field: 'sales', op: 'in', values: [1, null] }] }, 'filters[0].values[1]', 'null'],
    [{ filters: [{ field: 'sales', op: 'in', values: [] }] }, 'filters[0].values', 'must not be empty'],
    [{ filters: [{ or: [] }] }, 'filters[0].or', 'at least one'],
    [{ filters: [{ field: 'sales', op: 'between', values: [1] }] }, 'filters[0].values', 'exactly two'],
    [{ filters: [{ field: 'sales', op: 'is_null', value: 1 }] }, 'filters[0]', 'takes no value'],
    [{ filters: [{ field: 'sales', op: 'like', value: 1 }] }, 'filters[0].op', 'expected one of'],
    [{ filters: [{ or: [{ field: 'sales', op: 'eq', value: 1, extra: 1 }] }] }, 'filters[0].or[0].extra', 'unknown key'],
    [{ filters: [{ and: [], field: 'x' }] }, 'filters[0].field', 'unknown key'],
    [{ filters: [{ field: 'sales', op: 'eq', value: { a: 1 } }] }, 'filters[0].value', 'expected a string, number or boolean'],
    [{ filters: [{ field: 'country', op: 'eq', value: 'a\u0000b' }] }, 'filters[0].value', 'NUL'],
    [{ filters: [{ field: 'sales', op: 'in', values: Array.from({ length: 20_001 }, (_, i) => i) }] }, 'filters[0].values', 'at most 20000'],
    [{ limit: -1 }, 'limit', 'non-negative integer'],
    [{ limit: 1.5 }, 'limit', 'non-negative integer'],
    [{ offset: '10' }, 'offset', 'non-negative integer'],
    [{ timezone: 'Mars/Olympus' }, 'timezone', 'unknown time zone'],
    [{ timezone: '+02:00' }, 'timezone', 'unknown time zone'],
    [{ orderBy: [{ field: 'sales', dir: 'up' }] }, 'orderBy[0].dir', 'expected one of'],
    [{ dimensions: ['country', 'country'] }, 'dimensions[1]', 'two output columns are named "country"'],
    [{ measures: [{ agg: 'count' }, { agg: 'sum', field: 'sales', as: 'count' }] }, 'measures[1]', 'two output columns'],
  ])('%j is INVALID_QUERY at %s', (query, path, message) => {
    const e = errorOf(() => compile(query));
    expect(e.code).toBe('INVALID_QUERY');
    expect(e.path ?? '').toBe(path);
    expect(e.message).toContain(message);
  });
});

describe('names and types against the datasource', () => {
  it.each([
    [{ dimensions: ['Country'] }, 'UNKNOWN_FIELD', 'dimensions[0]'],
    [{ measures: [{ agg: 'sum', field: 'nope' }] }, 'UNKNOWN_FIELD', 'measures[0].field'],
    [{ filters: [{ or: [{ field: 'sales', op: 'gt', value: 1 }, { field: 'x', op: 'eq', value: 1 }] }] }, 'UNKNOWN_FIELD', 'filters[0].or[1].field'],
    [{ orderBy: [{ field: 'nope' }], dimensions: ['country'] }, 'UNKNOWN_FIELD', 'orderBy[0].field'],
    [{ measures: [{ formula: 'nope' }] }, 'UNKNOWN_FIELD', 'measures[0].formula'],
    [{ filters: [{ field: 'sales', op: 'eq', value: '100' }] }, 'TYPE_MISMATCH', 'filters[0].value'],
    [{ filters: [{ field: 'country', op: 'in', values: ['FR', 3] }] }, 'TYPE_MISMATCH', 'filters[0].values[1]'],
    [{ filters: [{ field: 'paid', op: 'eq', value: 1 }] }, 'TYPE_MISMATCH', 'filters[0].value'],
    [{ filters: [{ field: 'day', op: 'eq', value: '2024-02-30' }] }, 'TYPE_MISMATCH', 'filters[0].value'],
    [{ filters: [{ field: 'order_date', op: 'gt', value: 'yesterday' }] }, 'TYPE_MISMATCH', 'filters[0].value'],
    [{ filters: [{ field: 'sales', op: 'contains', value: 'x' }] }, 'TYPE_MISMATCH', 'filters[0].op'],
    [{ measures: [{ agg: 'sum', field: 'country' }] }, 'TYPE_MISMATCH', 'measures[0].field'],
    [{ dimensions: [{ field: 'country', granularity: 'month' }] }, 'TYPE_MISMATCH', 'dimensions[0].granularity'],
    [{ dimensions: [{ field: 'day', granularity: 'hour' }] }, 'TYPE_MISMATCH', 'dimensions[0].granularity'],
    [{ dimensions: ['total'] }, 'INVALID_QUERY', 'dimensions[0]'],
    [{ measures: [{ formula: 'double' }] }, 'INVALID_QUERY', 'measures[0].formula'],
    [{ measures: [{ agg: 'sum', field: 'total' }] }, 'INVALID_QUERY', 'measures[0].field'],
    [{ filters: [{ field: 'total', op: 'gt', value: 1 }] }, 'INVALID_QUERY', 'filters[0].field'],
    [{ dimensions: ['country'], having: [{ field: 'sales', op: 'gt', value: 1 }] }, 'INVALID_QUERY', 'having[0].field'],
    [{ dimensions: ['country'], orderBy: [{ field: 'sales' }] }, 'INVALID_QUERY', 'orderBy[0].field'],
  ])('%j is %s at %s', (query, code, path) => {
    const e = errorOf(() => compile(query));
    expect(e.code).toBe(code);
    expect(e.path).toBe(path);
  });

  it('a formula that became invalid fails the queries using it, with its code and position', () => {
    const e = errorOf(() => compile({ measures: [{ formula: 'uses broken' }] }));
    expect(e).toMatchObject({ code: 'UNKNOWN_FIELD', formula: 'broken', position: { start: 0, end: 6 }, path: 'measures[0].formula' });
    // Unused, it does not matter.
    expect(compile({ dimensions: ['country'] }).sql).toContain('GROUP BY');
  });

  it('toJSON is plain data without a stack', () => {
    const e = errorOf(() => compile({ filters: [{ field: 'sales', op: 'eq', value: 'x' }] }));
    expect(Object.keys(e).sort()).toEqual(['code', 'message', 'path']);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});

describe('large inputs', () => {
  it('compiles an IN list of 20,000 values without deep recursion', () => {
    for (const dialect of ['postgres', 'mysql', 'sqlite', 'redshift'] as const) {
      const c = compileQuery({ dialect, source: { kind: 'table', table: 't' }, columns, formulas: [], query: { filters: [{ field: 'sales', op: 'in', values: Array.from({ length: 20_000 }, (_, i) => i) }] } });
      expect(c.params).toHaveLength(20_000);
    }
  });

  it('refuses more bound values than the databases accept', () => {
    const list = Array.from({ length: 16_000 }, (_, i) => i);
    const e = errorOf(() => compile({ filters: [{ field: 'sales', op: 'in', values: list }, { field: 'sales', op: 'not_in', values: list }] }));
    expect(e.code).toBe('INVALID_QUERY');
  });
});

describe('output columns, limits, truncation', () => {
  it('names output columns as the contract says', () => {
    const c = compile({
      dimensions: ['country', { field: 'order_date', granularity: 'month' }, { field: 'day', as: 'Day "as" given' }],
      measures: [{ agg: 'sum', field: 'sales' }, { agg: 'count' }, { agg: 'count', field: 'country' }, { agg: 'count_distinct', field: 'country' }, { formula: 'total', as: 't' }, { agg: 'max', field: 'paid' }],
    });
    expect(c.columns).toEqual([
      { name: 'country', type: 'string' }, { name: 'order_date_month', type: 'date' }, { name: 'Day "as" given', type: 'date' },
      { name: 'sum_sales', type: 'number' }, { name: 'count', type: 'number' }, { name: 'count_country', type: 'number' },
      { name: 'count_distinct_country', type: 'number' }, { name: 't', type: 'number' }, { name: 'max_paid', type: 'boolean' },
    ]);
  });

  it('raw rows are every column in table order', () => {
    expect(compile({}).columns.map((c) => c.name)).toEqual(['country', 'sales', 'order_date', 'day', 'paid']);
  });

  it('applies the default limit, the server maximum, and says when it cuts', () => {
    expect(compile({})).toMatchObject({ rowLimit: 10_000, detectTruncationAt: null });
    expect(compile({}).sql).toMatch(/LIMIT 10000$/);
    expect(compile({ limit: 0 })).toMatchObject({ rowLimit: 0, detectTruncationAt: null });
    expect(compile({}, 500)).toMatchObject({ rowLimit: 500, detectTruncationAt: 501 });
    expect(compile({}, 500).sql).toMatch(/LIMIT 501$/);
    expect(compile({ limit: 200_000 })).toMatchObject({ rowLimit: 100_000, detectTruncationAt: 100_001 });
    expect(compile({ limit: 20, offset: 40 }).sql).toMatch(/LIMIT 20 OFFSET 40$/);
  });
});

describe('normalizeQuery', () => {
  it('gives one string per meaning', () => {
    const a = normalizeQuery({ dimensions: ['country'], measures: [{ field: 'sales', agg: 'sum' }], timezone: 'US/Eastern' });
    const b = normalizeQuery({ timezone: 'America/New_York', limit: 10_000, offset: 0, measures: [{ agg: 'sum', field: 'sales' }], dimensions: [{ field: 'country' }], filters: [], orderBy: [] });
    expect(a).toBe(b);
    expect(JSON.parse(a)).toEqual({
      dimensions: [{ field: 'country' }], filters: [], having: [], limit: 10000, measures: [{ agg: 'sum', field: 'sales' }],
      offset: 0, orderBy: [], timezone: 'America/New_York',
    });
    expect(normalizeQuery({ orderBy: [{ field: 'x' }] })).toContain('"dir":"asc"');
    expect(normalizeQuery({})).not.toBe(normalizeQuery({ limit: 5 }));
    expect(errorOf(() => normalizeQuery({ bogus: 1 })).code).toBe('INVALID_QUERY');
  });
});
