import { describe, expect, it } from 'vitest';
import { flattenRecord } from '../flatten-record';
import { buildWarehouseTable, inferColumnType } from '../infer-columns';
import { nextLinkOf } from '../link-header';
import { parseRestSource } from '../rest-source';
import { RestSourceError } from '../errors';

describe('column types', () => {
  it.each([
    [[1, 2, null], 'bigint'],
    [[1, 2.5], 'double'],
    [[2 ** 53 + 2], 'double'],
    [[true, null, false], 'boolean'],
    [['2024-01-31', '2024-12-01'], 'date'],
    [['2023-02-29'], 'text'],
    [['2024-01-31T10:00:00Z', '2024-01-31T10:00:00.123456+05:30', '2024-01-31T10:00'], 'timestamptz'],
    [['2024-01-31', '2024-01-31T10:00:00Z'], 'text'],
    [['2024-01-31T25:00:00Z'], 'text'],
    [[1, '1'], 'text'],
    [[true, 1], 'text'],
    [[null, null], 'text'],
    [[], 'text'],
  ] as const)('%j → %s', (values, type) => {
    expect(inferColumnType(values)).toBe(type);
  });

  it('date-times without an offset are read as UTC', () => {
    const table = buildWarehouseTable([flattenRecord({ at: '2024-05-01T08:09' })]);
    expect(table.rows).toEqual([['2024-05-01T08:09:00Z']]);
  });

  it('rows that are not objects land in a "value" column; keys are unioned in first-seen order', () => {
    const table = buildWarehouseTable([flattenRecord({ b: 1 }), flattenRecord(7), flattenRecord({ a: { x: 1 }, b: 2 })]);
    expect(table.columns.map((c) => c.name)).toEqual(['b', 'value', 'a.x']);
    expect(table.rows).toEqual([
      [1, null, null],
      [null, 7, null],
      [2, null, 1],
    ]);
  });
});

describe('Link headers', () => {
  it('finds rel="next" among several links and relations, resolved against the page', () => {
    const header = '<https://api.example.com/items?page=1>; rel="first", </items?page=3>; rel="next last"';
    expect(nextLinkOf(header, 'https://api.example.com/items?page=2')).toBe('https://api.example.com/items?page=3');
    expect(nextLinkOf('<https://x.example/?p=2>; rel=next', 'https://x.example/')).toBe('https://x.example/?p=2');
    expect(nextLinkOf('<https://x.example/?p=1>; rel="prev"', 'https://x.example/')).toBeUndefined();
    expect(nextLinkOf(undefined, 'https://x.example/')).toBeUndefined();
  });
});

describe('REST source settings', () => {
  it('fill in defaults', () => {
    expect(parseRestSource({ url: 'https://api.example.com/v1/items' })).toEqual({
      url: 'https://api.example.com/v1/items',
      method: 'GET',
      headers: {},
      rowsPath: '',
      pagination: { kind: 'none' },
      maxPages: 100,
    });
    expect(parseRestSource({ url: 'https://x.example/', pagination: { kind: 'page', pageParam: 'p' } }).pagination).toEqual({
      kind: 'page',
      pageParam: 'p',
      startPage: 1,
    });
  });

  it.each([
    [{ url: 'https://x.example/', maxPages: 10_001 }, 'maxPages'],
    [{ url: 'https://x.example/', body: '{}' }, 'only sent with POST'],
    [{ url: 'https://x.example/', method: 'POST', body: '{not json' }, 'must be JSON'],
    [{ url: 'https://x.example/', rowsPath: 'data..items' }, 'rowsPath'],
    [{ url: 'https://x.example/', pagination: { kind: 'page', pageParam: 'p', pageSize: 10 } }, 'go together'],
    [{ url: 'https://x.example/', pagination: { kind: 'scroll' } }, 'pagination'],
    [{ url: 'https://x.example/', headers: { 'Content-Length': '5' } }, 'set by the server'],
    [{ url: 'https://x.example/', headers: { 'X-Evil': 'a\r\nHost: b' } }, 'line breaks'],
    [{ url: 'gopher://x.example/' }, 'only http and https'],
  ])('refuse %j', (input, problem) => {
    expect(() => parseRestSource(input)).toThrow(RestSourceError);
    expect(() => parseRestSource(input)).toThrow(problem);
  });
});
