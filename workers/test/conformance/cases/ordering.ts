import { inGroup, type Cell, type ConformanceCase } from '../case';
import type { FieldType } from '../../../../query/types';

const txt = inGroup('txt');
const num = inGroup('num');

const RAW_COLUMNS: { name: string; type: FieldType }[] = [
  { name: 'id', type: 'number' },
  { name: 'grp', type: 'string' },
  { name: 'city', type: 'string' },
  { name: 'label', type: 'string' },
  { name: 'amount', type: 'number' },
  { name: 'qty', type: 'number' },
  { name: 'ratio', type: 'number' },
  { name: 'flag', type: 'boolean' },
  { name: 'd', type: 'date' },
  { name: 'd2', type: 'date' },
  { name: 'ts', type: 'timestamp' },
  { name: 'ts2', type: 'timestamp' },
];

const AMOUNTS_ASC: [number, Cell][] = [
  [28, null], [24, -12.35], [33, -7.5], [22, -2.5], [30, -0.5], [25, 0], [29, 0.0001], [34, 1.005],
  [21, 2.5], [35, 2.675], [32, 7.5], [23, 12.35], [27, 149.99], [26, 150], [31, 1234.5678],
];

const CITY_ORDER: Cell[] = [null, '', 'PARIS', 'Paris', 'Straße', 'Zürich', 'paris', 'Ängelholm', 'école', '日本', 'ｆull', '😀 smile'];

/** orderBy, NULL placement, default order, limit and offset, raw rows. */
export const orderingCases: ConformanceCase[] = [
  {
    name: 'orderBy a measure desc',
    query: { dimensions: ['city'], measures: [{ agg: 'sum', field: 'amount' }], filters: [num], orderBy: [{ field: 'sum_amount', dir: 'desc' }] },
    expected: { rows: [['A', 1234.5678], ['B', 157.5001], [null, 149.49], ['C', -3.82]] },
  },
  {
    name: 'orderBy a dimension desc puts NULL last',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [num], orderBy: [{ field: 'city', dir: 'desc' }] },
    expected: { rows: [['C', 3], ['B', 5], ['A', 5], [null, 2]] },
  },
  {
    name: 'orderBy a dimension asc puts NULL first',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [num], orderBy: [{ field: 'city' }] },
    expected: { rows: [[null, 2], ['A', 5], ['B', 5], ['C', 3]] },
  },
  {
    name: 'orderBy a nullable decimal asc',
    query: { dimensions: ['id', 'amount'], filters: [num], orderBy: [{ field: 'amount', dir: 'asc' }] },
    expected: { rows: AMOUNTS_ASC.map(([id, a]) => [id, a]) },
  },
  {
    name: 'orderBy a nullable decimal desc',
    query: { dimensions: ['id', 'amount'], filters: [num], orderBy: [{ field: 'amount', dir: 'desc' }] },
    expected: { rows: [...AMOUNTS_ASC.slice(1)].reverse().concat([AMOUNTS_ASC[0] ?? [28, null]]).map(([id, a]) => [id, a]) },
  },
  {
    name: 'orderBy a measure asc puts a NULL aggregate first',
    query: { dimensions: ['city'], measures: [{ agg: 'max', field: 'amount' }], filters: [{ field: 'id', op: 'in', values: [24, 28, 33] }], orderBy: [{ field: 'max_amount' }] },
    expected: { rows: [['A', null], ['B', -12.35], ['C', -7.5]] },
  },
  {
    name: 'orderBy a measure desc puts a NULL aggregate last',
    query: { dimensions: ['city'], measures: [{ agg: 'max', field: 'amount' }], filters: [{ field: 'id', op: 'in', values: [24, 28, 33] }], orderBy: [{ field: 'max_amount', dir: 'desc' }] },
    expected: { rows: [['C', -7.5], ['B', -12.35], ['A', null]] },
  },
  {
    name: 'default order of a grouped result is its dimensions ascending',
    query: { dimensions: ['city', 'flag'], measures: [{ agg: 'count' }], filters: [num] },
    expected: {
      rows: [
        [null, null, 1], [null, true, 1],
        ['A', null, 1], ['A', false, 3], ['A', true, 1],
        ['B', null, 1], ['B', false, 1], ['B', true, 3],
        ['C', null, 1], ['C', false, 1], ['C', true, 1],
      ],
    },
  },
  {
    name: 'orderBy the second dimension desc, the first as tie-breaker',
    query: { dimensions: ['city', 'flag'], measures: [{ agg: 'count' }], filters: [num], orderBy: [{ field: 'flag', dir: 'desc' }] },
    expected: {
      rows: [
        [null, true, 1], ['A', true, 1], ['B', true, 3], ['C', true, 1],
        ['A', false, 3], ['B', false, 1], ['C', false, 1],
        [null, null, 1], ['A', null, 1], ['B', null, 1], ['C', null, 1],
      ],
    },
  },
  {
    name: 'orderBy text desc is reverse code point order',
    query: { dimensions: ['city'], filters: [txt], orderBy: [{ field: 'city', dir: 'desc' }] },
    expected: { rows: [...CITY_ORDER.slice(1)].reverse().concat([null]).map((c) => [c]) },
  },
  {
    name: 'orderBy count desc, ties by dimension ascending',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [txt], orderBy: [{ field: 'count', dir: 'desc' }] },
    expected: {
      rows: [
        ['Paris', 2], ['paris', 2], [null, 1], ['', 1], ['PARIS', 1], ['Straße', 1], ['Zürich', 1],
        ['Ängelholm', 1], ['école', 1], ['日本', 1], ['ｆull', 1], ['😀 smile', 1],
      ],
    },
  },
  {
    name: 'top 2 by count',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [txt], orderBy: [{ field: 'count', dir: 'desc' }], limit: 2 },
    expected: { rows: [['Paris', 2], ['paris', 2]] },
  },
  {
    name: 'orderBy an aggregate formula that is not selected',
    formulas: [{ name: 'total_qty', expression: 'SUM([qty])' }],
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [num], orderBy: [{ field: 'total_qty', dir: 'desc' }] },
    expected: {
      columns: [
        { name: 'city', type: 'string' },
        { name: 'count', type: 'number' },
      ],
      rows: [['A', 5], ['B', 5], [null, 2], ['C', 3]],
    },
  },
  {
    name: 'orderBy a dimension as name',
    query: { dimensions: [{ field: 'city', as: 'Ville' }], measures: [{ agg: 'count' }], filters: [num], orderBy: [{ field: 'Ville', dir: 'desc' }] },
    expected: {
      columns: [
        { name: 'Ville', type: 'string' },
        { name: 'count', type: 'number' },
      ],
      rows: [['C', 3], ['B', 5], ['A', 5], [null, 2]],
    },
  },
  {
    name: 'orderBy a field used by a truncated dimension',
    query: { dimensions: [{ field: 'd', granularity: 'year' }], measures: [{ agg: 'count' }], filters: [inGroup('date')], orderBy: [{ field: 'd', dir: 'desc' }] },
    expected: { rows: [['2021-01-01', 8], ['2020-01-01', 2], ['2019-01-01', 1], [null, 1]] },
  },
  {
    name: 'orderBy a boolean asc: NULL, false, true',
    query: { dimensions: ['flag'], measures: [{ agg: 'sum', field: 'qty' }], filters: [num], orderBy: [{ field: 'flag' }] },
    expected: { rows: [[null, 109], [false, -4], [true, 12]] },
  },
  {
    name: 'orderBy a timestamp desc',
    query: { dimensions: ['id', 'ts'], filters: [inGroup('dst_ny')], orderBy: [{ field: 'ts', dir: 'desc' }], limit: 3 },
    expected: { rows: [[78, '2021-11-08T05:00:00.000Z'], [77, '2021-11-07T06:30:00.000Z'], [76, '2021-11-07T05:30:00.000Z']] },
  },
  {
    name: 'limit 0 returns no rows',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [num], limit: 0 },
    expected: { rows: [] },
  },
  {
    name: 'limit 0 without dimensions returns no rows',
    query: { measures: [{ agg: 'count' }], filters: [num], limit: 0 },
    expected: { rows: [] },
  },
  {
    name: 'limit and offset',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [num], limit: 2, offset: 1 },
    expected: { rows: [['A', 5], ['B', 5]] },
  },
  {
    name: 'offset past the end',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [num], offset: 10 },
    expected: { rows: [] },
  },
  {
    name: 'a dimension without measures lists distinct values',
    query: { dimensions: ['city'], filters: [num] },
    expected: { columns: [{ name: 'city', type: 'string' }], rows: [[null], ['A'], ['B'], ['C']] },
  },
  {
    name: 'raw rows: every column in table order',
    query: { filters: [{ field: 'id', op: 'in', values: [21, 45, 92, 100] }], orderBy: [{ field: 'id' }] },
    expected: {
      columns: RAW_COLUMNS,
      rows: [
        [21, 'num', 'A', null, 2.5, 7, 0.5, true, null, null, null, null],
        [45, 'date', null, null, null, null, null, null, '2021-01-03', null, '2021-01-03T23:30:00.000Z', null],
        [92, 'diff', null, null, null, null, null, null, '2019-12-30', '2021-01-03', '2020-12-31T23:30:00.000Z', '2021-01-01T00:10:00.000Z'],
        [100, null, null, null, null, null, null, null, null, null, null, null],
      ],
    },
  },
  {
    name: 'raw rows of text with every hard character',
    query: { filters: [txt, { field: 'id', op: 'in', values: [5, 6, 8, 9, 12, 14] }], orderBy: [{ field: 'id', dir: 'desc' }] },
    expected: {
      rows: [
        [14, 'txt', 'paris', 'x--y/*z*/;', null, 14, null, null, null, null, null, null],
        [12, 'txt', 'Straße', 'say "hi"', null, 12, null, null, null, null, null, null],
        [9, 'txt', 'ｆull', ' \tx ', null, 9, null, null, null, null, null, null],
        [8, 'txt', '😀 smile', '  padded  ', null, 8, null, null, null, null, null, null],
        [6, 'txt', 'Ängelholm', 'C:\\temp\\new', null, 6, null, null, null, null, null, null],
        [5, 'txt', 'Zürich', "O'Brien", null, 5, null, null, null, null, null, null],
      ],
    },
  },
  {
    name: 'raw rows with limit, without order',
    query: { filters: [inGroup('diff'), { field: 'id', op: 'lt', value: 92 }], limit: 5 },
    expected: {
      rows: [[91, 'diff', null, null, null, null, null, null, '2020-12-31', '2021-01-04', '2021-01-01T00:00:00.000Z', '2021-01-02T23:59:59.000Z']],
      unordered: true,
    },
  },
  {
    name: 'raw rows without order compare as a set',
    query: { filters: [inGroup('dst_syd')] },
    expected: {
      rows: [
        [79, 'dst_syd', null, null, null, null, null, null, null, null, '2021-04-03T15:30:00.000Z', null],
        [80, 'dst_syd', null, null, null, null, null, null, null, null, '2021-04-03T16:30:00.000Z', null],
        [81, 'dst_syd', null, null, null, null, null, null, null, null, '2021-10-02T15:30:00.000Z', null],
        [82, 'dst_syd', null, null, null, null, null, null, null, null, '2021-10-02T16:00:00.000Z', null],
        [83, 'dst_syd', null, null, null, null, null, null, null, null, '2021-04-03T13:00:00.000Z', null],
      ],
      unordered: true,
    },
  },
  {
    name: 'raw rows with limit 2 and orderBy',
    query: { filters: [num], orderBy: [{ field: 'amount', dir: 'desc' }], limit: 2 },
    expected: {
      rows: [
        [31, 'num', 'A', null, 1234.5678, 100, 3.75, null, null, null, null, null],
        [26, 'num', 'B', null, 150, 10, 2, true, null, null, null, null],
      ],
    },
  },
  {
    name: 'the server maximum cuts a result and says so',
    query: { dimensions: ['id'], filters: [num] },
    maxRows: 3,
    expected: { rows: [[21], [22], [23]], truncated: true },
  },
  {
    name: 'a limit within the server maximum is not a cut',
    query: { dimensions: ['id'], filters: [num], limit: 3 },
    maxRows: 3,
    expected: { rows: [[21], [22], [23]], truncated: false },
  },
  {
    name: 'a result exactly at the server maximum is not a cut',
    query: { dimensions: ['id'], filters: [num] },
    maxRows: 15,
    expected: { rows: [[21], [22], [23], [24], [25], [26], [27], [28], [29], [30], [31], [32], [33], [34], [35]], truncated: false },
  },
  {
    name: 'raw rows ignore the formulas of the datasource',
    formulas: [{ name: 'double', expression: '[qty] * 2' }],
    query: { filters: [{ field: 'id', op: 'eq', value: 22 }] },
    expected: {
      columns: RAW_COLUMNS,
      rows: [[22, 'num', 'A', null, -2.5, -7, -0.25, false, null, null, null, null]],
    },
  },
  {
    name: 'a boolean formula as a dimension: NULL, false, true',
    formulas: [{ name: 'big', expression: '[qty] > 5' }],
    query: { dimensions: ['big'], measures: [{ agg: 'count' }], filters: [num] },
    expected: {
      columns: [
        { name: 'big', type: 'boolean' },
        { name: 'count', type: 'number' },
      ],
      rows: [[null, 1], [false, 11], [true, 3]],
    },
  },
  {
    name: 'orderBy a row formula dimension desc',
    formulas: [{ name: 'len', expression: 'LENGTH([city])' }],
    query: { dimensions: ['len'], measures: [{ agg: 'count' }], filters: [txt], orderBy: [{ field: 'len', dir: 'desc' }] },
    expected: { rows: [[9, 1], [7, 1], [6, 2], [5, 6], [4, 1], [2, 1], [0, 1], [null, 1]] },
  },
];
