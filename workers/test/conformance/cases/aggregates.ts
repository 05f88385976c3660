import { inGroup, type ConformanceCase } from '../case';

const txt = inGroup('txt');
const num = inGroup('num');
const NOISE = 1e-12;

/** Every aggregate, NULL handling, empty inputs, having, binary grouping of text. */
export const aggregateCases: ConformanceCase[] = [
  {
    name: 'count, count of a field, sum, min, max without dimensions',
    query: {
      measures: [
        { agg: 'count' },
        { agg: 'count', field: 'amount' },
        { agg: 'sum', field: 'amount' },
        { agg: 'min', field: 'amount' },
        { agg: 'max', field: 'amount' },
      ],
      filters: [num],
    },
    expected: {
      columns: [
        { name: 'count', type: 'number' },
        { name: 'count_amount', type: 'number' },
        { name: 'sum_amount', type: 'number' },
        { name: 'min_amount', type: 'number' },
        { name: 'max_amount', type: 'number' },
      ],
      rows: [[15, 14, 1537.7379, -12.35, 1234.5678]],
    },
  },
  {
    name: 'sum and avg of an integer column',
    query: { measures: [{ agg: 'sum', field: 'qty' }, { agg: 'avg', field: 'qty' }], filters: [num] },
    expected: {
      columns: [
        { name: 'sum_qty', type: 'number' },
        { name: 'avg_qty', type: 'number' },
      ],
      rows: [[117, 117 / 14]],
      tolerance: NOISE,
    },
  },
  {
    name: 'avg of a decimal column',
    query: { measures: [{ agg: 'avg', field: 'amount' }], filters: [num] },
    expected: { rows: [[1537.7379 / 14]], tolerance: NOISE },
  },
  {
    name: 'sum, avg and count of a double column',
    query: { measures: [{ agg: 'sum', field: 'ratio' }, { agg: 'avg', field: 'ratio' }, { agg: 'count', field: 'ratio' }], filters: [num] },
    expected: {
      columns: [
        { name: 'sum_ratio', type: 'number' },
        { name: 'avg_ratio', type: 'number' },
        { name: 'count_ratio', type: 'number' },
      ],
      rows: [[7.225, 7.225 / 12, 12]],
      tolerance: NOISE,
    },
  },
  {
    name: 'count_distinct ignores NULL',
    query: { measures: [{ agg: 'count_distinct', field: 'city' }, { agg: 'count_distinct', field: 'qty' }], filters: [num] },
    expected: {
      columns: [
        { name: 'count_distinct_city', type: 'number' },
        { name: 'count_distinct_qty', type: 'number' },
      ],
      rows: [[3, 13]],
    },
  },
  {
    name: 'count_distinct of text is binary (Paris, paris, PARIS are three)',
    query: { measures: [{ agg: 'count_distinct', field: 'city' }, { agg: 'count_distinct', field: 'label' }], filters: [txt] },
    expected: { rows: [[11, 13]] },
  },
  {
    name: 'count_distinct of booleans',
    query: { measures: [{ agg: 'count_distinct', field: 'flag' }], filters: [num] },
    expected: { rows: [[2]] },
  },
  {
    name: 'min and max of text in code point order',
    query: { measures: [{ agg: 'min', field: 'city' }, { agg: 'max', field: 'city' }, { agg: 'min', field: 'label' }, { agg: 'max', field: 'label' }], filters: [txt] },
    expected: {
      columns: [
        { name: 'min_city', type: 'string' },
        { name: 'max_city', type: 'string' },
        { name: 'min_label', type: 'string' },
        { name: 'max_label', type: 'string' },
      ],
      rows: [['', '😀 smile', '', 'ÉCOLE']],
    },
  },
  {
    name: 'min and max of booleans: false before true',
    query: { measures: [{ agg: 'min', field: 'flag' }, { agg: 'max', field: 'flag' }], filters: [num] },
    expected: {
      columns: [
        { name: 'min_flag', type: 'boolean' },
        { name: 'max_flag', type: 'boolean' },
      ],
      rows: [[false, true]],
    },
  },
  {
    name: 'min and max of booleans within one value',
    query: { measures: [{ agg: 'min', field: 'flag' }, { agg: 'max', field: 'flag' }], filters: [num, { field: 'flag', op: 'eq', value: true }] },
    expected: { rows: [[true, true]] },
  },
  {
    name: 'min and max of only NULL booleans',
    query: { measures: [{ agg: 'min', field: 'flag' }, { agg: 'max', field: 'flag' }, { agg: 'count', field: 'flag' }], filters: [num, { field: 'flag', op: 'is_null' }] },
    expected: { rows: [[null, null, 0]] },
  },
  {
    name: 'min and max of dates and timestamps',
    query: { measures: [{ agg: 'min', field: 'd' }, { agg: 'max', field: 'd' }, { agg: 'min', field: 'ts' }, { agg: 'max', field: 'ts' }], filters: [inGroup('date')] },
    expected: {
      columns: [
        { name: 'min_d', type: 'date' },
        { name: 'max_d', type: 'date' },
        { name: 'min_ts', type: 'timestamp' },
        { name: 'max_ts', type: 'timestamp' },
      ],
      rows: [['2019-12-30', '2021-12-31', '2019-12-31T23:30:00.000Z', '2022-01-01T04:30:00.000Z']],
    },
  },
  {
    name: 'no rows without dimensions: one row, counts 0, others NULL',
    query: {
      measures: [
        { agg: 'count' },
        { agg: 'sum', field: 'amount' },
        { agg: 'avg', field: 'qty' },
        { agg: 'min', field: 'city' },
        { agg: 'max', field: 'ts' },
        { agg: 'count_distinct', field: 'city' },
        { agg: 'count', field: 'amount' },
      ],
      filters: [inGroup('no such group')],
    },
    expected: { rows: [[0, null, null, null, null, 0, 0]] },
  },
  {
    name: 'sum over only NULLs is NULL',
    query: { measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count' }], filters: [txt] },
    expected: { rows: [[null, 14]] },
  },
  {
    name: 'no rows with dimensions: no groups',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [inGroup('no such group')] },
    expected: { rows: [] },
  },
  {
    name: 'having removes the only row of an undimensioned query',
    query: { measures: [{ agg: 'count' }], filters: [num], having: [{ field: 'count', op: 'gt', value: 100 }] },
    expected: { rows: [] },
  },
  {
    name: 'having keeps the only row of an undimensioned query',
    query: { measures: [{ agg: 'count' }], filters: [num], having: [{ field: 'count', op: 'gte', value: 15 }] },
    expected: { rows: [[15]] },
  },
  {
    name: 'group by text is binary',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [txt] },
    expected: {
      columns: [
        { name: 'city', type: 'string' },
        { name: 'count', type: 'number' },
      ],
      rows: [
        [null, 1], ['', 1], ['PARIS', 1], ['Paris', 2], ['Straße', 1], ['Zürich', 1], ['paris', 2],
        ['Ängelholm', 1], ['école', 1], ['日本', 1], ['ｆull', 1], ['😀 smile', 1],
      ],
    },
  },
  {
    name: 'group with count, sum and a NULL group',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }, { agg: 'sum', field: 'amount' }], filters: [num] },
    expected: { rows: [[null, 2, 149.49], ['A', 5, 1234.5678], ['B', 5, 157.5001], ['C', 3, -3.82]] },
  },
  {
    name: 'group with count of a field and count_distinct',
    query: { dimensions: ['city'], measures: [{ agg: 'count', field: 'ratio' }, { agg: 'count_distinct', field: 'flag' }], filters: [num] },
    expected: {
      columns: [
        { name: 'city', type: 'string' },
        { name: 'count_ratio', type: 'number' },
        { name: 'count_distinct_flag', type: 'number' },
      ],
      rows: [[null, 2, 1], ['A', 4, 2], ['B', 4, 2], ['C', 2, 2]],
    },
  },
  {
    name: 'group avg of a double column',
    query: { dimensions: ['city'], measures: [{ agg: 'avg', field: 'ratio' }], filters: [num] },
    expected: { rows: [[null, -0.575], ['A', 1], ['B', 1.09375], ['C', 0]], tolerance: NOISE },
  },
  {
    name: 'group min and max of booleans',
    query: { dimensions: ['city'], measures: [{ agg: 'min', field: 'flag' }, { agg: 'max', field: 'flag' }], filters: [num] },
    expected: { rows: [[null, true, true], ['A', false, true], ['B', false, true], ['C', false, true]] },
  },
  {
    name: 'group by a boolean: NULL, false, true',
    query: { dimensions: ['flag'], measures: [{ agg: 'count' }], filters: [num] },
    expected: {
      columns: [
        { name: 'flag', type: 'boolean' },
        { name: 'count', type: 'number' },
      ],
      rows: [[null, 4], [false, 5], [true, 6]],
    },
  },
  {
    name: 'group by a decimal',
    query: { dimensions: ['amount'], measures: [{ agg: 'count' }], filters: [num, { field: 'amount', op: 'lt', value: 1 }] },
    expected: { rows: [[-12.35, 1], [-7.5, 1], [-2.5, 1], [-0.5, 1], [0, 1], [0.0001, 1]] },
  },
  {
    name: 'having on count, with two groups tied',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [txt], having: [{ field: 'count', op: 'gt', value: 1 }] },
    expected: { rows: [['Paris', 2], ['paris', 2]] },
  },
  {
    name: 'having on a sum keeps the NULL group',
    query: { dimensions: ['city'], measures: [{ agg: 'sum', field: 'qty' }], filters: [num], having: [{ field: 'sum_qty', op: 'lt', value: 10 }] },
    expected: { rows: [[null, 1], ['C', -5]] },
  },
  {
    name: 'having with or and between',
    query: {
      dimensions: ['city'],
      measures: [{ agg: 'sum', field: 'qty' }],
      filters: [num],
      having: [{ or: [{ field: 'sum_qty', op: 'between', values: [20, 30] }, { field: 'sum_qty', op: 'eq', value: 100 }] }],
    },
    expected: { rows: [['A', 100], ['B', 21]] },
  },
  {
    name: 'having on an as name',
    query: { dimensions: ['city'], measures: [{ agg: 'count', as: 'n' }], filters: [num], having: [{ field: 'n', op: 'eq', value: 5 }] },
    expected: {
      columns: [
        { name: 'city', type: 'string' },
        { name: 'n', type: 'number' },
      ],
      rows: [['A', 5], ['B', 5]],
    },
  },
  {
    name: 'measure as name is returned exactly',
    query: { measures: [{ agg: 'sum', field: 'qty', as: 'Total Qty (€)' }], filters: [num] },
    expected: { columns: [{ name: 'Total Qty (€)', type: 'number' }], rows: [[117]] },
  },
  {
    name: 'sum of negative integers',
    query: { measures: [{ agg: 'sum', field: 'qty' }, { agg: 'min', field: 'qty' }, { agg: 'max', field: 'qty' }], filters: [num, { field: 'qty', op: 'lt', value: 0 }] },
    expected: { rows: [[-17, -7, -2]] },
  },
  {
    name: 'count of a text field counts empty strings',
    query: { measures: [{ agg: 'count', field: 'city' }, { agg: 'count', field: 'label' }], filters: [txt] },
    expected: {
      columns: [
        { name: 'count_city', type: 'number' },
        { name: 'count_label', type: 'number' },
      ],
      rows: [[13, 13]],
    },
  },
  {
    name: 'whole table count',
    query: { measures: [{ agg: 'count' }, { agg: 'count', field: 'grp' }, { agg: 'count_distinct', field: 'grp' }] },
    expected: { rows: [[79, 78, 9]] },
  },
  {
    name: 'count of a boolean field counts false too',
    query: { measures: [{ agg: 'count', field: 'flag' }, { agg: 'count', field: 'ratio' }], filters: [num] },
    expected: {
      columns: [
        { name: 'count_flag', type: 'number' },
        { name: 'count_ratio', type: 'number' },
      ],
      rows: [[11, 12]],
    },
  },
  {
    name: 'having on a dimension output column',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }], filters: [num], having: [{ field: 'city', op: 'in', values: ['A', 'C'] }] },
    expected: { rows: [['A', 5], ['C', 3]] },
  },
  {
    name: 'having with is_null on an aggregate',
    query: { dimensions: ['city'], measures: [{ agg: 'max', field: 'ratio' }], filters: [num, { field: 'id', op: 'in', values: [24, 28, 33] }], having: [{ field: 'max_ratio', op: 'is_null' }] },
    expected: { rows: [['A', null], ['B', null], ['C', null]] },
  },
  {
    name: 'count_distinct of a row formula',
    formulas: [{ name: 'parity', expression: 'ABS([qty] % 2)' }],
    query: { measures: [{ agg: 'count_distinct', field: 'parity' }, { agg: 'count', field: 'parity' }], filters: [num] },
    expected: { rows: [[2, 14]] },
  },
  {
    name: 'min and max of a boolean formula',
    formulas: [{ name: 'big', expression: '[qty] > 5' }],
    query: { dimensions: ['city'], measures: [{ agg: 'min', field: 'big' }, { agg: 'max', field: 'big' }], filters: [num] },
    expected: { rows: [[null, false, false], ['A', false, true], ['B', false, true], ['C', false, false]] },
  },
  {
    name: 'values differing by trailing spaces are distinct groups',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }, { agg: 'count_distinct', field: 'label' }], filters: [inGroup('pad')] },
    expected: { rows: [['x', 1, 1], ['x ', 1, 1], ['x  ', 1, 1]] },
  },
  {
    name: 'count_distinct does not ignore trailing or leading spaces',
    query: { measures: [{ agg: 'count_distinct', field: 'city' }, { agg: 'count_distinct', field: 'label' }], filters: [inGroup('pad')] },
    expected: { rows: [[3, 2]] },
  },
];
