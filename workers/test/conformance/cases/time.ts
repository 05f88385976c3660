import { inGroup, type Cell, type ConformanceCase } from '../case';

type Granularity = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour';

const PARIS = 'Europe/Paris';
const NEW_YORK = 'America/New_York';
const SYDNEY = 'Australia/Sydney';
const KOLKATA = 'Asia/Kolkata';

function buckets(grp: string, field: 'd' | 'ts', granularity: Granularity, timezone: string | undefined, rows: [Cell, number][]): ConformanceCase {
  const column = `${field}_${granularity}`;
  return {
    name: `${field} by ${granularity} in ${timezone ?? 'UTC (default)'} (${grp})`,
    query: {
      dimensions: [{ field, granularity }],
      measures: [{ agg: 'count' }],
      filters: [inGroup(grp)],
      ...(timezone === undefined ? {} : { timezone }),
    },
    expected: {
      columns: [
        { name: column, type: granularity === 'hour' ? 'timestamp' : 'date' },
        { name: 'count', type: 'number' },
      ],
      rows,
    },
  };
}

/**
 * Local times of the `date` group's instants (row: UTC → Paris | New York | Sydney):
 * 41 2019-12-31 23:30 → Jan 1 00:30 | Dec 31 18:30 | Jan 1 10:30
 * 43 2020-12-31 22:59:59.999 → Dec 31 23:59 | Dec 31 17:59 | Jan 1 09:59
 * 44 2020-12-31 23:00 → Jan 1 00:00 | Dec 31 18:00 | Jan 1 10:00
 * 45 2021-01-03 (Sun) 23:30 → Jan 4 (Mon) 00:30 | Jan 3 18:30 | Jan 4 10:30
 * 46 2021-01-04 04:59 → Jan 4 05:59 | Jan 3 (Sun) 23:59 | Jan 4 15:59
 * 47 2021-03-31 13:30 → Mar 31 | Mar 31 | Apr 1 00:30
 * 48 2021-04-01 03:00 → Apr 1 | Mar 31 23:00 | Apr 1
 * 49 2021-06-30 22:30 → Jul 1 00:30 | Jun 30 | Jul 1
 * 50 2021-07-01 02:00 → Jul 1 | Jun 30 22:00 | Jul 1
 * 51 2022-01-01 04:30 → Jan 1 05:30 | 2021-12-31 23:30 | Jan 1
 */
const dateGroupCases: ConformanceCase[] = [
  // A date-only column is never shifted, whatever the timezone.
  buckets('date', 'd', 'year', undefined, [[null, 1], ['2019-01-01', 1], ['2020-01-01', 2], ['2021-01-01', 8]]),
  buckets('date', 'd', 'quarter', undefined, [[null, 1], ['2019-10-01', 1], ['2020-01-01', 1], ['2020-10-01', 1], ['2021-01-01', 4], ['2021-04-01', 2], ['2021-07-01', 1], ['2021-10-01', 1]]),
  buckets('date', 'd', 'month', PARIS, [[null, 1], ['2019-12-01', 1], ['2020-02-01', 1], ['2020-12-01', 1], ['2021-01-01', 3], ['2021-03-01', 1], ['2021-04-01', 1], ['2021-06-01', 1], ['2021-07-01', 1], ['2021-12-01', 1]]),
  buckets('date', 'd', 'week', undefined, [[null, 1], ['2019-12-30', 1], ['2020-02-24', 1], ['2020-12-28', 3], ['2021-01-04', 1], ['2021-03-29', 2], ['2021-06-28', 2], ['2021-12-27', 1]]),
  buckets('date', 'd', 'week', NEW_YORK, [[null, 1], ['2019-12-30', 1], ['2020-02-24', 1], ['2020-12-28', 3], ['2021-01-04', 1], ['2021-03-29', 2], ['2021-06-28', 2], ['2021-12-27', 1]]),
  buckets('date', 'd', 'day', SYDNEY, [
    [null, 1], ['2019-12-30', 1], ['2020-02-29', 1], ['2020-12-31', 1], ['2021-01-01', 1], ['2021-01-03', 1], ['2021-01-04', 1],
    ['2021-03-31', 1], ['2021-04-01', 1], ['2021-06-30', 1], ['2021-07-01', 1], ['2021-12-31', 1],
  ]),

  buckets('date', 'ts', 'year', undefined, [[null, 1], ['2019-01-01', 1], ['2020-01-01', 3], ['2021-01-01', 6], ['2022-01-01', 1]]),
  buckets('date', 'ts', 'year', PARIS, [[null, 1], ['2020-01-01', 3], ['2021-01-01', 7], ['2022-01-01', 1]]),
  buckets('date', 'ts', 'year', NEW_YORK, [[null, 1], ['2019-01-01', 1], ['2020-01-01', 3], ['2021-01-01', 7]]),
  buckets('date', 'ts', 'year', SYDNEY, [[null, 1], ['2020-01-01', 2], ['2021-01-01', 8], ['2022-01-01', 1]]),

  buckets('date', 'ts', 'quarter', undefined, [[null, 1], ['2019-10-01', 1], ['2020-01-01', 1], ['2020-10-01', 2], ['2021-01-01', 3], ['2021-04-01', 2], ['2021-07-01', 1], ['2022-01-01', 1]]),
  buckets('date', 'ts', 'quarter', PARIS, [[null, 1], ['2020-01-01', 2], ['2020-10-01', 1], ['2021-01-01', 4], ['2021-04-01', 1], ['2021-07-01', 2], ['2022-01-01', 1]]),
  buckets('date', 'ts', 'quarter', NEW_YORK, [[null, 1], ['2019-10-01', 1], ['2020-01-01', 1], ['2020-10-01', 2], ['2021-01-01', 4], ['2021-04-01', 2], ['2021-10-01', 1]]),
  buckets('date', 'ts', 'quarter', SYDNEY, [[null, 1], ['2020-01-01', 2], ['2021-01-01', 4], ['2021-04-01', 2], ['2021-07-01', 2], ['2022-01-01', 1]]),

  buckets('date', 'ts', 'month', undefined, [
    [null, 1], ['2019-12-01', 1], ['2020-02-01', 1], ['2020-12-01', 2], ['2021-01-01', 2], ['2021-03-01', 1], ['2021-04-01', 1], ['2021-06-01', 1], ['2021-07-01', 1], ['2022-01-01', 1],
  ]),
  buckets('date', 'ts', 'month', PARIS, [
    [null, 1], ['2020-01-01', 1], ['2020-02-01', 1], ['2020-12-01', 1], ['2021-01-01', 3], ['2021-03-01', 1], ['2021-04-01', 1], ['2021-07-01', 2], ['2022-01-01', 1],
  ]),
  buckets('date', 'ts', 'month', NEW_YORK, [
    [null, 1], ['2019-12-01', 1], ['2020-02-01', 1], ['2020-12-01', 2], ['2021-01-01', 2], ['2021-03-01', 2], ['2021-06-01', 2], ['2021-12-01', 1],
  ]),
  buckets('date', 'ts', 'month', SYDNEY, [[null, 1], ['2020-01-01', 1], ['2020-02-01', 1], ['2021-01-01', 4], ['2021-04-01', 2], ['2021-07-01', 2], ['2022-01-01', 1]]),

  buckets('date', 'ts', 'week', undefined, [[null, 1], ['2019-12-30', 1], ['2020-02-24', 1], ['2020-12-28', 3], ['2021-01-04', 1], ['2021-03-29', 2], ['2021-06-28', 2], ['2021-12-27', 1]]),
  buckets('date', 'ts', 'week', PARIS, [[null, 1], ['2019-12-30', 1], ['2020-02-24', 1], ['2020-12-28', 2], ['2021-01-04', 2], ['2021-03-29', 2], ['2021-06-28', 2], ['2021-12-27', 1]]),
  buckets('date', 'ts', 'week', NEW_YORK, [[null, 1], ['2019-12-30', 1], ['2020-02-24', 1], ['2020-12-28', 4], ['2021-03-29', 2], ['2021-06-28', 2], ['2021-12-27', 1]]),
  buckets('date', 'ts', 'week', SYDNEY, [[null, 1], ['2019-12-30', 1], ['2020-02-24', 1], ['2020-12-28', 2], ['2021-01-04', 2], ['2021-03-29', 2], ['2021-06-28', 2], ['2021-12-27', 1]]),

  buckets('date', 'ts', 'day', undefined, [
    [null, 1], ['2019-12-31', 1], ['2020-02-29', 1], ['2020-12-31', 2], ['2021-01-03', 1], ['2021-01-04', 1], ['2021-03-31', 1], ['2021-04-01', 1], ['2021-06-30', 1], ['2021-07-01', 1], ['2022-01-01', 1],
  ]),
  buckets('date', 'ts', 'day', PARIS, [
    [null, 1], ['2020-01-01', 1], ['2020-02-29', 1], ['2020-12-31', 1], ['2021-01-01', 1], ['2021-01-04', 2], ['2021-03-31', 1], ['2021-04-01', 1], ['2021-07-01', 2], ['2022-01-01', 1],
  ]),
  buckets('date', 'ts', 'day', NEW_YORK, [
    [null, 1], ['2019-12-31', 1], ['2020-02-29', 1], ['2020-12-31', 2], ['2021-01-03', 2], ['2021-03-31', 2], ['2021-06-30', 2], ['2021-12-31', 1],
  ]),
  buckets('date', 'ts', 'day', SYDNEY, [
    [null, 1], ['2020-01-01', 1], ['2020-02-29', 1], ['2021-01-01', 2], ['2021-01-04', 2], ['2021-04-01', 2], ['2021-07-01', 2], ['2022-01-01', 1],
  ]),
];

/**
 * The daylight-saving groups. An hour bucket is the instant its local hour began, so the hour
 * that repeats when clocks go back is two buckets (Paris 02:00 at 00:00Z and at 01:00Z).
 */
const dstCases: ConformanceCase[] = [
  buckets('dst_paris', 'ts', 'hour', PARIS, [
    ['2021-03-27T23:00:00.000Z', 1], ['2021-03-28T00:00:00.000Z', 1], ['2021-03-28T01:00:00.000Z', 1], ['2021-03-28T22:00:00.000Z', 1],
    ['2021-10-30T22:00:00.000Z', 1], ['2021-10-31T00:00:00.000Z', 2], ['2021-10-31T01:00:00.000Z', 2], ['2021-10-31T02:00:00.000Z', 1],
    ['2021-10-31T22:00:00.000Z', 1], ['2021-10-31T23:00:00.000Z', 1],
  ]),
  buckets('dst_paris', 'ts', 'hour', undefined, [
    ['2021-03-27T23:00:00.000Z', 1], ['2021-03-28T00:00:00.000Z', 1], ['2021-03-28T01:00:00.000Z', 1], ['2021-03-28T22:00:00.000Z', 1],
    ['2021-10-30T22:00:00.000Z', 1], ['2021-10-31T00:00:00.000Z', 2], ['2021-10-31T01:00:00.000Z', 2], ['2021-10-31T02:00:00.000Z', 1],
    ['2021-10-31T22:00:00.000Z', 1], ['2021-10-31T23:00:00.000Z', 1],
  ]),
  // Half-hour offset: local hours begin at :30 UTC.
  buckets('dst_paris', 'ts', 'hour', KOLKATA, [
    ['2021-03-27T22:30:00.000Z', 1], ['2021-03-28T00:30:00.000Z', 2], ['2021-03-28T21:30:00.000Z', 1], ['2021-10-30T22:30:00.000Z', 1],
    ['2021-10-30T23:30:00.000Z', 1], ['2021-10-31T00:30:00.000Z', 2], ['2021-10-31T01:30:00.000Z', 2], ['2021-10-31T22:30:00.000Z', 2],
  ]),
  buckets('dst_paris', 'ts', 'day', PARIS, [['2021-03-28', 3], ['2021-03-29', 1], ['2021-10-31', 7], ['2021-11-01', 1]]),
  buckets('dst_paris', 'ts', 'day', undefined, [['2021-03-27', 1], ['2021-03-28', 3], ['2021-10-30', 1], ['2021-10-31', 7]]),
  buckets('dst_paris', 'ts', 'week', PARIS, [['2021-03-22', 3], ['2021-03-29', 1], ['2021-10-25', 7], ['2021-11-01', 1]]),
  buckets('dst_paris', 'ts', 'week', undefined, [['2021-03-22', 4], ['2021-10-25', 8]]),
  buckets('dst_paris', 'ts', 'month', PARIS, [['2021-03-01', 4], ['2021-10-01', 7], ['2021-11-01', 1]]),
  buckets('dst_paris', 'ts', 'month', undefined, [['2021-03-01', 4], ['2021-10-01', 8]]),
  buckets('dst_paris', 'ts', 'quarter', PARIS, [['2021-01-01', 4], ['2021-10-01', 8]]),
  buckets('dst_paris', 'ts', 'year', PARIS, [['2021-01-01', 12]]),

  buckets('dst_ny', 'ts', 'hour', NEW_YORK, [
    ['2021-03-14T06:00:00.000Z', 1], ['2021-03-14T07:00:00.000Z', 1], ['2021-11-07T04:00:00.000Z', 1],
    ['2021-11-07T05:00:00.000Z', 1], ['2021-11-07T06:00:00.000Z', 1], ['2021-11-08T05:00:00.000Z', 1],
  ]),
  buckets('dst_ny', 'ts', 'day', NEW_YORK, [['2021-03-14', 2], ['2021-11-07', 3], ['2021-11-08', 1]]),
  buckets('dst_ny', 'ts', 'week', NEW_YORK, [['2021-03-08', 2], ['2021-11-01', 3], ['2021-11-08', 1]]),
  buckets('dst_ny', 'ts', 'month', NEW_YORK, [['2021-03-01', 2], ['2021-11-01', 4]]),
  buckets('dst_ny', 'ts', 'quarter', NEW_YORK, [['2021-01-01', 2], ['2021-10-01', 4]]),
  buckets('dst_ny', 'ts', 'year', NEW_YORK, [['2021-01-01', 6]]),
  // Paris is +1/+2: 2021-11-08T05:00Z is still Nov 8, 2021-11-07T04:00Z is Nov 7.
  buckets('dst_ny', 'ts', 'day', PARIS, [['2021-03-14', 2], ['2021-11-07', 3], ['2021-11-08', 1]]),

  buckets('dst_syd', 'ts', 'hour', SYDNEY, [
    ['2021-04-03T13:00:00.000Z', 1], ['2021-04-03T15:00:00.000Z', 1], ['2021-04-03T16:00:00.000Z', 1],
    ['2021-10-02T15:00:00.000Z', 1], ['2021-10-02T16:00:00.000Z', 1],
  ]),
  buckets('dst_syd', 'ts', 'hour', KOLKATA, [
    ['2021-04-03T12:30:00.000Z', 1], ['2021-04-03T15:30:00.000Z', 1], ['2021-04-03T16:30:00.000Z', 1], ['2021-10-02T15:30:00.000Z', 2],
  ]),
  buckets('dst_syd', 'ts', 'day', SYDNEY, [['2021-04-04', 3], ['2021-10-03', 2]]),
  buckets('dst_syd', 'ts', 'day', undefined, [['2021-04-03', 3], ['2021-10-02', 2]]),
  buckets('dst_syd', 'ts', 'week', SYDNEY, [['2021-03-29', 3], ['2021-09-27', 2]]),
  buckets('dst_syd', 'ts', 'month', SYDNEY, [['2021-04-01', 3], ['2021-10-01', 2]]),
  buckets('dst_syd', 'ts', 'quarter', SYDNEY, [['2021-04-01', 3], ['2021-10-01', 2]]),
  buckets('dst_syd', 'ts', 'year', SYDNEY, [['2021-01-01', 5]]),
];

/** The `far` group: 110 1969-07-20T20:17:40Z, 111 2040-07-01T03:30Z, 112 2040-11-04T05:30Z
 * (01:30 EDT), 113 2040-11-04T06:30Z (01:30 EST), 114 1950-06-15T12:00Z. */
const farCases: ConformanceCase[] = [
  buckets('far', 'd', 'week', undefined, [[null, 1], ['1899-12-25', 1], ['1900-01-01', 1], ['1969-12-29', 1], ['2040-02-27', 1]]),
  buckets('far', 'd', 'month', undefined, [[null, 1], ['1899-12-01', 1], ['1900-01-01', 1], ['1969-12-01', 1], ['2040-02-01', 1]]),
  buckets('far', 'ts', 'hour', NEW_YORK, [
    ['1950-06-15T12:00:00.000Z', 1], ['1969-07-20T20:00:00.000Z', 1], ['2040-07-01T03:00:00.000Z', 1], ['2040-11-04T05:00:00.000Z', 1], ['2040-11-04T06:00:00.000Z', 1],
  ]),
  buckets('far', 'ts', 'day', NEW_YORK, [['1950-06-15', 1], ['1969-07-20', 1], ['2040-06-30', 1], ['2040-11-04', 2]]),
  buckets('far', 'ts', 'day', SYDNEY, [['1950-06-15', 1], ['1969-07-21', 1], ['2040-07-01', 1], ['2040-11-04', 2]]),
  buckets('far', 'ts', 'day', PARIS, [['1950-06-15', 1], ['1969-07-20', 1], ['2040-07-01', 1], ['2040-11-04', 2]]),
  buckets('far', 'ts', 'hour', KOLKATA, [
    ['1950-06-15T11:30:00.000Z', 1], ['1969-07-20T19:30:00.000Z', 1], ['2040-07-01T03:30:00.000Z', 1], ['2040-11-04T05:30:00.000Z', 1], ['2040-11-04T06:30:00.000Z', 1],
  ]),
  buckets('far', 'ts', 'year', SYDNEY, [['1950-01-01', 1], ['1969-01-01', 1], ['2040-01-01', 3]]),
];

const otherTimeCases: ConformanceCase[] = [
  {
    name: 'a timezone link names the same zone (US/Eastern)',
    query: { dimensions: [{ field: 'ts', granularity: 'hour' }], measures: [{ agg: 'count' }], filters: [inGroup('dst_ny')], timezone: 'US/Eastern' },
    expected: {
      rows: [
        ['2021-03-14T06:00:00.000Z', 1], ['2021-03-14T07:00:00.000Z', 1], ['2021-11-07T04:00:00.000Z', 1],
        ['2021-11-07T05:00:00.000Z', 1], ['2021-11-07T06:00:00.000Z', 1], ['2021-11-08T05:00:00.000Z', 1],
      ],
    },
  },
  {
    name: 'a timezone link names the same zone (Asia/Calcutta)',
    query: { dimensions: [{ field: 'ts', granularity: 'hour' }], measures: [{ agg: 'count' }], filters: [inGroup('dst_syd')], timezone: 'Asia/Calcutta' },
    expected: {
      rows: [['2021-04-03T12:30:00.000Z', 1], ['2021-04-03T15:30:00.000Z', 1], ['2021-04-03T16:30:00.000Z', 1], ['2021-10-02T15:30:00.000Z', 2]],
    },
  },
  {
    name: 'granularity with as',
    query: { dimensions: [{ field: 'ts', granularity: 'month', as: 'Mois' }], measures: [{ agg: 'count' }], filters: [inGroup('dst_paris')], timezone: PARIS },
    expected: {
      columns: [
        { name: 'Mois', type: 'date' },
        { name: 'count', type: 'number' },
      ],
      rows: [['2021-03-01', 4], ['2021-10-01', 7], ['2021-11-01', 1]],
    },
  },
  {
    name: 'two granularities of one field',
    query: {
      dimensions: [{ field: 'ts', granularity: 'day' }, { field: 'ts', granularity: 'hour' }],
      measures: [{ agg: 'count' }],
      filters: [inGroup('dst_ny'), { field: 'ts', op: 'gte', value: '2021-11-01T00:00:00Z' }],
      timezone: NEW_YORK,
    },
    expected: {
      columns: [
        { name: 'ts_day', type: 'date' },
        { name: 'ts_hour', type: 'timestamp' },
        { name: 'count', type: 'number' },
      ],
      rows: [
        ['2021-11-07', '2021-11-07T04:00:00.000Z', 1],
        ['2021-11-07', '2021-11-07T05:00:00.000Z', 1],
        ['2021-11-07', '2021-11-07T06:00:00.000Z', 1],
        ['2021-11-08', '2021-11-08T05:00:00.000Z', 1],
      ],
    },
  },
  {
    name: 'day buckets with min and max instants, filtered by an instant with an offset',
    query: {
      dimensions: [{ field: 'ts', granularity: 'day' }],
      measures: [{ agg: 'count' }, { agg: 'min', field: 'ts' }, { agg: 'max', field: 'ts' }],
      filters: [inGroup('dst_paris'), { field: 'ts', op: 'gte', value: '2021-10-31T02:00:00+01:00' }],
      timezone: PARIS,
    },
    expected: {
      rows: [
        ['2021-10-31', 4, '2021-10-31T01:15:00.000Z', '2021-10-31T22:59:59.000Z'],
        ['2021-11-01', 1, '2021-10-31T23:00:00.000Z', '2021-10-31T23:00:00.000Z'],
      ],
    },
  },
];

export const timeCases: ConformanceCase[] = [...dateGroupCases, ...dstCases, ...farCases, ...otherTimeCases];
