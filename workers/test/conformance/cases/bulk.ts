import type { ConformanceCase } from '../case';

/**
 * Volume checks on the generated `bulk` table. Too many rows to add up on paper: these totals
 * were derived once from `bulkRows()` with a plain loop (and Intl for local times) and written
 * down, so a change to the generator shows up here as a failure rather than passing silently.
 */
const WINDOW = [
  { field: 'ts', op: 'gte', value: '2021-10-30T20:00:00Z' },
  { field: 'ts', op: 'lt', value: '2021-10-31T04:00:00Z' },
];

export const bulkCases: ConformanceCase[] = [
  {
    name: 'bulk: counts and sums',
    table: 'bulk',
    query: {
      measures: [
        { agg: 'count' },
        { agg: 'count', field: 'amount' },
        { agg: 'count', field: 'qty' },
        { agg: 'sum', field: 'qty' },
        { agg: 'sum', field: 'amount' },
        { agg: 'sum', field: 'ratio' },
        { agg: 'count_distinct', field: 'city' },
        { agg: 'count_distinct', field: 'label' },
      ],
    },
    expected: { rows: [[3000, 2904, 2840, 63241, 1406101.72, 8593, 8, 100]] },
  },
  {
    name: 'bulk: by group',
    table: 'bulk',
    query: { dimensions: ['grp'], measures: [{ agg: 'count' }, { agg: 'sum', field: 'qty' }, { agg: 'sum', field: 'amount' }] },
    expected: {
      rows: [
        ['alpha', 726, 15554, 335972.78],
        ['beta', 755, 16044, 354871.85],
        ['delta', 740, 15128, 367735.62],
        ['gamma', 779, 16515, 347521.47],
      ],
    },
  },
  {
    name: 'bulk: by city in binary order',
    table: 'bulk',
    query: { dimensions: ['city'], measures: [{ agg: 'count' }] },
    expected: {
      rows: [[null, 317], ['', 294], ['Lyon', 338], ['New York', 350], ['Paris', 324], ['São Paulo', 322], ['Zürich', 326], ['paris', 341], ['日本', 388]],
    },
  },
  {
    name: 'bulk: by flag with a sum of doubles',
    table: 'bulk',
    query: { dimensions: ['flag'], measures: [{ agg: 'count' }, { agg: 'sum', field: 'ratio' }] },
    expected: { rows: [[null, 345, 897.875], [false, 1328, 3804.5], [true, 1327, 3890.625]] },
  },
  {
    name: 'bulk: extremes',
    table: 'bulk',
    query: { measures: [{ agg: 'min', field: 'ts' }, { agg: 'max', field: 'ts' }, { agg: 'min', field: 'd' }, { agg: 'max', field: 'd' }, { agg: 'count', field: 'ts' }] },
    expected: { rows: [['2020-01-01T01:36:07.000Z', '2022-01-01T23:36:56.000Z', '2019-01-01', '2021-12-31', 2947]] },
  },
  {
    name: 'bulk: months of 2021 in Paris',
    table: 'bulk',
    query: {
      dimensions: [{ field: 'ts', granularity: 'month' }],
      measures: [{ agg: 'count' }],
      filters: [{ field: 'ts', op: 'gte', value: '2021-01-01' }, { field: 'ts', op: 'lt', value: '2022-01-01' }],
      timezone: 'Europe/Paris',
    },
    expected: {
      rows: [
        ['2021-01-01', 104], ['2021-02-01', 86], ['2021-03-01', 105], ['2021-04-01', 90], ['2021-05-01', 114], ['2021-06-01', 79],
        ['2021-07-01', 110], ['2021-08-01', 101], ['2021-09-01', 94], ['2021-10-01', 677], ['2021-11-01', 76], ['2021-12-01', 102],
      ],
    },
  },
  {
    name: 'bulk: hours around the Paris autumn change',
    table: 'bulk',
    query: { dimensions: [{ field: 'ts', granularity: 'hour' }], measures: [{ agg: 'count' }], filters: WINDOW, timezone: 'Europe/Paris' },
    expected: {
      rows: [
        ['2021-10-30T20:00:00.000Z', 91], ['2021-10-30T21:00:00.000Z', 62], ['2021-10-30T22:00:00.000Z', 74], ['2021-10-30T23:00:00.000Z', 72],
        ['2021-10-31T00:00:00.000Z', 85], ['2021-10-31T01:00:00.000Z', 67], ['2021-10-31T02:00:00.000Z', 72], ['2021-10-31T03:00:00.000Z', 66],
      ],
    },
  },
  {
    name: 'bulk: hours around the Paris autumn change, seen from Kolkata',
    table: 'bulk',
    query: { dimensions: [{ field: 'ts', granularity: 'hour' }], measures: [{ agg: 'count' }], filters: WINDOW, timezone: 'Asia/Kolkata' },
    expected: {
      rows: [
        ['2021-10-30T19:30:00.000Z', 38], ['2021-10-30T20:30:00.000Z', 91], ['2021-10-30T21:30:00.000Z', 58], ['2021-10-30T22:30:00.000Z', 80],
        ['2021-10-30T23:30:00.000Z', 79], ['2021-10-31T00:30:00.000Z', 75], ['2021-10-31T01:30:00.000Z', 67], ['2021-10-31T02:30:00.000Z', 69],
        ['2021-10-31T03:30:00.000Z', 32],
      ],
    },
  },
  {
    name: 'bulk: Paris days of the autumn window',
    table: 'bulk',
    query: { dimensions: [{ field: 'ts', granularity: 'day' }], measures: [{ agg: 'count' }], filters: WINDOW, timezone: 'Europe/Paris' },
    expected: { rows: [['2021-10-30', 153], ['2021-10-31', 436]] },
  },
  {
    name: 'bulk: years of a date column',
    table: 'bulk',
    query: { dimensions: [{ field: 'd', granularity: 'year' }], measures: [{ agg: 'count' }] },
    expected: { rows: [[null, 81], ['2019-01-01', 921], ['2020-01-01', 1019], ['2021-01-01', 979]] },
  },
  {
    name: 'bulk: quarters in New York',
    table: 'bulk',
    query: { dimensions: [{ field: 'ts', granularity: 'quarter' }], measures: [{ agg: 'count' }], timezone: 'America/New_York' },
    expected: {
      rows: [
        [null, 53], ['2019-10-01', 1], ['2020-01-01', 292], ['2020-04-01', 297], ['2020-07-01', 317], ['2020-10-01', 297],
        ['2021-01-01', 295], ['2021-04-01', 284], ['2021-07-01', 305], ['2021-10-01', 855], ['2022-01-01', 4],
      ],
    },
  },
];
