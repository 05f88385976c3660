import { idsWhere, inGroup, literal, perRow, type Cell, type ConformanceCase } from '../case';

const num = inGroup('num');
const NOISE = 1e-12;
const PARIS = { timezone: 'Europe/Paris' };
const NEW_YORK = { timezone: 'America/New_York' };
const SYDNEY = { timezone: 'Australia/Sydney' };
const KOLKATA = { timezone: 'Asia/Kolkata' };

const operatorCases: ConformanceCase[] = [
  perRow('/ is exact division of integers', '[qty] / 2', 'number', [[21, 3.5], [22, -3.5], [25, 0], [28, null], [30, -1.5]]),
  perRow('/ of a decimal by an integer', '[amount] / [qty]', 'number', [[23, 6.175], [26, 15], [34, 0.5025], [32, 1.5], [21, 2.5 / 7]], {}, NOISE),
  perRow('/ by zero is NULL', '[qty] / 0', 'number', [[21, null], [25, null], [28, null]]),
  perRow('/ by a zero column is NULL', '[amount] / [qty]', 'number', [[25, null], [28, null]]),
  literal('/ of integer literals', '10 / 4', 'number', 2.5),
  literal('/ of a negative literal', '-7 / 2', 'number', -3.5),
  literal('/ giving a repeating fraction', '1 / 3', 'number', 1 / 3, NOISE),
  perRow('% takes the sign of the dividend', '[qty] % 3', 'number', [[21, 1], [22, -1], [26, 1], [28, null], [30, 0], [33, -2]]),
  perRow('% of decimals', '[amount] % 2', 'number', [[21, 0.5], [22, -0.5], [23, 0.35], [31, 0.5678], [32, 1.5], [33, -1.5], [34, 1.005]]),
  perRow('% of a double', '[ratio] % 1', 'number', [[30, -0.25], [31, 0.75], [26, 0]]),
  perRow('% by zero is NULL', '[qty] % 0', 'number', [[21, null], [25, null]]),
  literal('% of a fraction', '7.5 % 2', 'number', 1.5),
  literal('% of a negative integer', '-7 % 3', 'number', -1),
  literal('% by a negative divisor', '7 % -3', 'number', 1),
  literal('% of a negative fraction', '-5.5 % 2', 'number', -1.5),
  literal('% by a literal zero', '5 % 0', 'number', null),
  literal('precedence of * over +', '2 + 3 * 4', 'number', 14),
  literal('parentheses', '(2 + 3) * 4', 'number', 20),
  literal('- is left-associative', '7 - 2 - 1', 'number', 4),
  literal('% has the precedence of *', '2 * 3 % 4', 'number', 2),
  literal('subtracting a negative', '2 - -3', 'number', 5),
  literal('decimal literals are exact', '0.1 + 0.2', 'number', 0.3),
  perRow('unary minus on a column', '-[qty]', 'number', [[21, -7], [22, 7], [28, null]]),
  perRow('decimal times integer is exact', '[amount] * 3', 'number', [[23, 37.05], [34, 3.015], [35, 8.025]]),
  perRow('NULL propagates through +', '[qty] + NULL', 'number', [[21, null]]),
  perRow('integer product', '[qty] * [qty]', 'number', [[31, 10000], [22, 49], [28, null]]),
  perRow('decimal plus double', '[amount] + [ratio]', 'number', [[27, 150.09], [21, 3], [24, null]], {}, NOISE),
];

const numericFunctionCases: ConformanceCase[] = [
  perRow('ROUND to one digit, halves away from zero', 'ROUND([amount], 1)', 'number', [[21, 2.5], [23, 12.4], [24, -12.4], [28, null], [30, -0.5], [34, 1], [35, 2.7]]),
  perRow('ROUND without digits', 'ROUND([amount])', 'number', [[21, 3], [22, -3], [27, 150], [29, 0], [30, -1], [32, 8], [33, -8]]),
  perRow('ROUND to two digits of decimals that are not exact doubles', 'ROUND([amount], 2)', 'number', [[23, 12.35], [29, 0], [31, 1234.57], [34, 1.01], [35, 2.68]]),
  perRow('ROUND to negative digits', 'ROUND([amount], -2)', 'number', [[22, 0], [24, 0], [26, 200], [27, 100], [31, 1200]]),
  perRow('ROUND an integer to tens', 'ROUND([qty], -1)', 'number', [[21, 10], [22, -10], [25, 0], [31, 100], [32, 10], [33, -10]]),
  perRow('ROUND a double at binary halves', 'ROUND([ratio], 1)', 'number', [[22, -0.3], [29, 0.8], [30, -1.3], [31, 3.8], [32, 0.1]], {}, NOISE),
  literal('ROUND(12.35, 1)', 'ROUND(12.35, 1)', 'number', 12.4),
  literal('ROUND(150, -2)', 'ROUND(150, -2)', 'number', 200),
  literal('ROUND(-150, -2)', 'ROUND(-150, -2)', 'number', -200),
  literal('ROUND(249, -2)', 'ROUND(249, -2)', 'number', 200),
  literal('ROUND(2.5)', 'ROUND(2.5)', 'number', 3),
  literal('ROUND(-2.5)', 'ROUND(-2.5)', 'number', -3),
  literal('ROUND(0.5)', 'ROUND(0.5)', 'number', 1),
  literal('ROUND(1.005, 2)', 'ROUND(1.005, 2)', 'number', 1.01),
  literal('ROUND(-0.05, 1)', 'ROUND(-0.05, 1)', 'number', -0.1),
  perRow('ABS of decimals', 'ABS([amount])', 'number', [[22, 2.5], [24, 12.35], [25, 0], [28, null], [31, 1234.5678]]),
  perRow('ABS of integers', 'ABS([qty])', 'number', [[22, 7], [33, 5], [21, 7]]),
  perRow('FLOOR', 'FLOOR([amount])', 'number', [[22, -3], [23, 12], [29, 0], [30, -1], [31, 1234], [33, -8], [28, null]]),
  perRow('CEIL', 'CEIL([amount])', 'number', [[22, -2], [23, 13], [26, 150], [29, 1], [30, 0], [33, -7]]),
  perRow('FLOOR and CEIL of doubles', 'FLOOR([ratio]) * 10 + CEIL([ratio])', 'number', [[30, -21], [32, 1], [31, 34]]),
];

const textFunctionCases: ConformanceCase[] = [
  perRow('UPPER maps all of Unicode', 'UPPER([city])', 'string', [
    [1, 'PARIS'], [5, 'ZÜRICH'], [6, 'ÄNGELHOLM'], [7, '日本'], [8, '😀 SMILE'], [9, 'ＦULL'], [10, ''], [11, null], [13, 'ÉCOLE'],
  ]),
  perRow('LOWER maps all of Unicode', 'LOWER([city])', 'string', [[3, 'paris'], [5, 'zürich'], [6, 'ängelholm'], [12, 'straße'], [13, 'école']]),
  perRow('LOWER keeps quotes and backslashes', 'LOWER([label])', 'string', [[5, "o'brien"], [6, 'c:\\temp\\new'], [13, 'école']]),
  perRow('LENGTH counts code points', 'LENGTH([city])', 'number', [[1, 5], [5, 6], [6, 9], [7, 2], [8, 7], [9, 4], [10, 0], [11, null], [12, 6]]),
  perRow('LENGTH of labels', 'LENGTH([label])', 'number', [[6, 11], [8, 10], [9, 4], [12, 8], [14, 10]]),
  perRow('TRIM removes spaces only', 'TRIM([label])', 'string', [[1, '100%'], [8, 'padded'], [9, '\tx'], [10, ''], [11, null]]),
  perRow('SUBSTR with a length', 'SUBSTR([city], 2, 3)', 'string', [[1, 'ari'], [5, 'üri'], [7, '本'], [8, ' sm'], [10, ''], [11, null]]),
  perRow('SUBSTR without a length', 'SUBSTR([city], 2)', 'string', [[6, 'ngelholm'], [7, '本'], [8, ' smile']]),
  literal("SUBSTR('abc', 0, 2) is 'a'", "SUBSTR('abc', 0, 2)", 'string', 'a'),
  literal('SUBSTR with a negative length is NULL', "SUBSTR('abc', 1, -1)", 'string', null),
  literal('SUBSTR from 2', "SUBSTR('abc', 2)", 'string', 'bc'),
  literal('SUBSTR past the end', "SUBSTR('abc', 5)", 'string', ''),
  literal('SUBSTR from a negative start', "SUBSTR('abc', -1, 3)", 'string', 'a'),
  literal('SUBSTR of length 0', "SUBSTR('abc', 2, 0)", 'string', ''),
  literal('SUBSTR from 0 without a length', "SUBSTR('abc', 0)", 'string', 'abc'),
  perRow('CONCAT treats NULL as empty', "CONCAT([city], '-', [qty])", 'string', [[1, 'Paris-1'], [7, '日本-7'], [10, '-10'], [11, '-11']]),
  perRow('CONCAT writes decimals in their shortest form', 'CONCAT([amount])', 'string', [
    [21, '2.5'], [22, '-2.5'], [25, '0'], [26, '150'], [28, ''], [29, '0.0001'], [31, '1234.5678'], [34, '1.005'],
  ]),
  perRow('CONCAT writes booleans as true and false', 'CONCAT([flag])', 'string', [[21, 'true'], [22, 'false'], [24, '']]),
  perRow('CONCAT writes doubles in their shortest form', 'CONCAT([ratio])', 'string', [[25, '0'], [26, '2'], [27, '0.1'], [30, '-1.25'], [32, '0.125']]),
  perRow('CONCAT writes dates and timestamps as in the output', "CONCAT([d], ' ', [ts])", 'string', [
    [43, '2020-12-31 2020-12-31T22:59:59.999Z'], [45, '2021-01-03 2021-01-03T23:30:00.000Z'], [52, ' '],
  ]),
  perRow('CONCAT writes timestamps in UTC whatever the timezone', 'CONCAT([ts])', 'string', [[62, '2021-10-31T00:15:00.000Z']], PARIS),
  perRow('CONCAT of a computed quotient', 'CONCAT([qty] / 4)', 'string', [[21, '1.75'], [31, '25']]),
  literal('CONCAT of literals', "CONCAT(12.50, '|', TRUE, '|', NULL, '|', -0.5, '|', 100)", 'string', '12.5|true||-0.5|100'),
  literal('CONCAT skips NULL', "CONCAT('a', NULL, 'b')", 'string', 'ab'),
  literal('CONCAT of an exact decimal sum', 'CONCAT(0.1 + 0.2)', 'string', '0.3'),
  perRow('CONCAT of a decimal product', 'CONCAT([amount] * 3)', 'string', [[34, '3.015'], [35, '8.025'], [26, '450']]),
  // The contract does not say how a double meets a decimal literal; it does say a query returns
  // the same rows everywhere. The decimal reading (the double's shortest form, 0.1, times 3) is
  // the one that matches "numeric literals are exact decimals inside computations".
  perRow('CONCAT of a double times a literal', 'CONCAT([ratio] * 3)', 'string', [[27, '0.3'], [32, '0.375']]),
  perRow("a '' inside a string literal is one quote", "CONCAT('it''s ', [city])", 'string', [[1, "it's Paris"], [11, "it's "]]),
];

const logicCases: ConformanceCase[] = [
  perRow('IF takes else when the condition is NULL', "IF([flag], 'yes', 'no')", 'string', [[21, 'yes'], [22, 'no'], [24, 'no']]),
  perRow('nested IF', "IF([amount] > 0, 'pos', IF([amount] < 0, 'neg', 'zero'))", 'string', [[21, 'pos'], [22, 'neg'], [25, 'zero'], [28, 'zero']]),
  perRow('IF with numbers', 'IF([qty] > 5, [qty], 0)', 'number', [[21, 7], [22, 0], [28, 0], [31, 100]]),
  perRow('COALESCE of text', "COALESCE([city], 'none')", 'string', [[1, 'Paris'], [10, ''], [11, 'none']]),
  perRow('COALESCE of numbers', 'COALESCE([ratio], [qty], -1)', 'number', [[21, 0.5], [24, 3], [28, -1], [33, -5]]),
  perRow('NULLIF of numbers', 'NULLIF([qty], 0)', 'number', [[21, 7], [25, null]]),
  perRow('NULLIF of text', "NULLIF([city], '')", 'string', [[1, 'Paris'], [10, null], [11, null]]),
  perRow('= on text is case-sensitive', "IF([city] = 'paris', 1, 0)", 'number', [[1, 0], [2, 1], [3, 0], [11, 0], [14, 1]]),
  perRow('< on text is binary', "[city] < 'a'", 'boolean', [[1, true], [2, false], [6, false], [10, true], [11, null]]),
  perRow('<> and != agree', '[qty] <> 7 AND [qty] != 8', 'boolean', [[21, false], [22, true], [28, null]]),
  perRow('AND with NULL', '[qty] >= 5 AND [flag]', 'boolean', [[21, true], [22, false], [24, false], [26, true], [31, null], [32, false]]),
  perRow('OR with NULL', '[flag] OR [qty] > 50', 'boolean', [[21, true], [22, false], [24, null], [31, true]]),
  perRow('NOT with NULL', 'NOT [flag]', 'boolean', [[21, false], [22, true], [24, null]]),
  perRow('comparison operators', "IF([qty] <= 2, 'le2', IF([qty] >= 10, 'ge10', 'mid'))", 'string', [[21, 'mid'], [22, 'le2'], [26, 'ge10'], [23, 'le2'], [24, 'mid']]),
  literal('function names and keywords are case-insensitive', "if(true and not false, round(2.5), coalesce(Null, 0))", 'number', 3),
];

const dateFunctionCases: ConformanceCase[] = [
  perRow('YEAR in UTC', 'YEAR([ts])', 'number', [[44, 2020], [45, 2021], [51, 2022], [52, null]]),
  perRow('YEAR in Paris', 'YEAR([ts])', 'number', [[44, 2021], [45, 2021], [51, 2022]], PARIS),
  perRow('YEAR in New York', 'YEAR([ts])', 'number', [[44, 2020], [51, 2021]], NEW_YORK),
  perRow('MONTH in New York', 'MONTH([ts])', 'number', [[48, 3], [49, 6], [51, 12]], NEW_YORK),
  perRow('MONTH in UTC', 'MONTH([ts])', 'number', [[48, 4], [49, 6], [51, 1]]),
  perRow('DAY in Sydney', 'DAY([ts])', 'number', [[45, 4], [47, 1], [80, 4]], SYDNEY),
  perRow('DAY in UTC', 'DAY([ts])', 'number', [[45, 3], [47, 31], [80, 3]]),
  perRow('YEAR, MONTH, DAY of a date are not shifted', 'YEAR([d]) * 10000 + MONTH([d]) * 100 + DAY([d])', 'number', [[41, 20191230], [42, 20200229], [44, 20210101]], PARIS),
  perRow("DATE_TRUNC('month') of a timestamp is a date", "DATE_TRUNC('month', [ts])", 'date', [[44, '2021-01-01'], [49, '2021-07-01'], [52, null]], PARIS),
  perRow("DATE_TRUNC('hour') is a timestamp (half-hour zone)", "DATE_TRUNC('hour', [ts])", 'timestamp', [[62, '2021-10-30T23:30:00.000Z'], [65, '2021-10-31T01:30:00.000Z']], KOLKATA),
  perRow("DATE_TRUNC('hour') in the repeated hour", "DATE_TRUNC('hour', [ts])", 'timestamp', [[63, '2021-10-31T00:00:00.000Z'], [64, '2021-10-31T01:00:00.000Z']], PARIS),
  perRow("DATE_TRUNC('week') of a date", "DATE_TRUNC('week', [d])", 'date', [[41, '2019-12-30'], [45, '2020-12-28'], [46, '2021-01-04']]),
  perRow("DATE_TRUNC('quarter') of a date", "DATE_TRUNC('quarter', [d])", 'date', [[47, '2021-01-01'], [48, '2021-04-01']]),
  perRow("DATE_TRUNC('year') in New York", "DATE_TRUNC('year', [ts])", 'date', [[51, '2021-01-01'], [44, '2020-01-01']], NEW_YORK),
  perRow("DATE_TRUNC('quarter') of a timestamp in Sydney", "DATE_TRUNC('quarter', [ts])", 'date', [[47, '2021-04-01'], [46, '2021-01-01']], SYDNEY),
  perRow("DATE_TRUNC('day') in Sydney", "DATE_TRUNC('day', [ts])", 'date', [[80, '2021-04-04'], [81, '2021-10-03']], SYDNEY),
  perRow("DATE_TRUNC('week') of a timestamp in Paris", "DATE_TRUNC('week', [ts])", 'date', [[45, '2021-01-04']], PARIS),
  perRow("DATE_TRUNC('week') of a timestamp in UTC", "DATE_TRUNC('week', [ts])", 'date', [[45, '2020-12-28']]),
];

type DiffUnit = 'day' | 'week' | 'month' | 'year' | 'hour' | 'minute' | 'second';

function dateDiff(unit: DiffUnit, start: string, end: string, zone: string, values: [number, Cell][], extra: Record<string, unknown> = {}): ConformanceCase {
  return perRow(`DATE_DIFF('${unit}', ${start}, ${end}) in ${zone}`, `DATE_DIFF('${unit}', [${start}], [${end}])`, 'number', values, extra);
}

/** ts → ts2 of the `diff` group: 91 one day and 23:59:59 forward, 92 forty minutes over New
 * Year (UTC), 93 64.5 days backwards, 94 24 hours over the Paris autumn change, 95 23 hours
 * over the Paris spring change, 96 a NULL end. */
const dateDiffCases: ConformanceCase[] = [
  dateDiff('day', 'ts', 'ts2', 'UTC', [[91, 1], [92, 1], [93, -64], [94, 1], [95, 1], [96, null]]),
  dateDiff('day', 'ts', 'ts2', 'Paris', [[91, 2], [92, 0], [93, -64], [94, 0], [95, 1]], PARIS),
  dateDiff('day', 'ts', 'ts2', 'New York', [[91, 2], [92, 0], [93, -65], [94, 1]], NEW_YORK),
  dateDiff('week', 'ts', 'ts2', 'UTC', [[91, 0], [93, -9], [96, null]]),
  dateDiff('month', 'ts', 'ts2', 'UTC', [[91, 0], [92, 1], [93, -2], [94, 0]]),
  dateDiff('month', 'ts', 'ts2', 'New York', [[91, 1], [92, 0], [93, -2]], NEW_YORK),
  dateDiff('year', 'ts', 'ts2', 'UTC', [[91, 0], [92, 1], [93, 0]]),
  dateDiff('year', 'ts', 'ts2', 'Paris', [[92, 0]], PARIS),
  dateDiff('hour', 'ts', 'ts2', 'UTC', [[91, 47], [92, 0], [93, -1548], [94, 24], [95, 23], [96, null]]),
  dateDiff('hour', 'ts', 'ts2', 'Paris', [[94, 24], [95, 23]], PARIS),
  dateDiff('minute', 'ts', 'ts2', 'UTC', [[91, 2879], [92, 40], [93, -92880], [95, 1380]]),
  dateDiff('second', 'ts', 'ts2', 'UTC', [[91, 172799], [92, 2400], [93, -5572800], [94, 86400]]),
  dateDiff('day', 'd', 'd2', 'UTC', [[91, 4], [92, 370], [93, 28], [94, -1], [95, 365], [96, null]]),
  dateDiff('week', 'd', 'd2', 'UTC', [[91, 0], [92, 52], [93, 4], [94, 0], [95, 52]]),
  dateDiff('month', 'd', 'd2', 'UTC', [[91, 1], [92, 13], [93, 1], [94, -1], [95, 12]]),
  dateDiff('year', 'd', 'd2', 'UTC', [[91, 1], [92, 2], [93, 0], [94, 0], [95, 1]]),
  dateDiff('day', 'd', 'd2', 'Sydney', [[91, 4], [94, -1]], SYDNEY),
];

const formulaUseCases: ConformanceCase[] = [
  {
    name: 'a formula using another formula',
    formulas: [
      { name: 'double', expression: '[qty] * 2' },
      { name: 'f', expression: '[double] + 1' },
    ],
    query: { dimensions: ['id', 'f'], filters: [{ field: 'id', op: 'in', values: [21, 22, 28] }] },
    expected: { rows: [[21, 15], [22, -13], [28, null]] },
  },
  {
    name: 'a formula name with spaces and unicode',
    formulas: [{ name: 'prix TTC €', expression: '[amount] * 2' }],
    query: { dimensions: ['id', 'prix TTC €'], filters: [{ field: 'id', op: 'eq', value: 23 }] },
    expected: {
      columns: [
        { name: 'id', type: 'number' },
        { name: 'prix TTC €', type: 'number' },
      ],
      rows: [[23, 24.7]],
    },
  },
  {
    ...idsWhere('a row formula in a filter', [num, { field: 'value', op: 'gt', value: 100 }], [26, 27, 31]),
    formulas: [{ name: 'value', expression: '[amount] * [qty]' }],
  },
  {
    ...idsWhere('a boolean row formula in a filter', [num, { field: 'big', op: 'eq', value: true }], [21, 26, 31]),
    formulas: [{ name: 'big', expression: '[qty] > 5' }],
  },
  {
    name: 'a row formula as a dimension with a count',
    formulas: [{ name: 'sign', expression: "IF([amount] > 0, 'pos', IF([amount] < 0, 'neg', 'zero'))" }],
    query: { dimensions: ['sign'], measures: [{ agg: 'count' }], filters: [num] },
    expected: { rows: [['neg', 4], ['pos', 9], ['zero', 2]] },
  },
  {
    name: 'a row formula inside aggregates',
    formulas: [{ name: 'double', expression: '[qty] * 2' }],
    query: { measures: [{ agg: 'sum', field: 'double' }, { agg: 'max', field: 'double' }, { agg: 'count', field: 'double' }], filters: [num] },
    expected: {
      columns: [
        { name: 'sum_double', type: 'number' },
        { name: 'max_double', type: 'number' },
        { name: 'count_double', type: 'number' },
      ],
      rows: [[234, 200, 14]],
    },
  },
  {
    name: 'max of a text-length formula',
    formulas: [{ name: 'len', expression: 'LENGTH([city])' }],
    query: { measures: [{ agg: 'max', field: 'len' }, { agg: 'min', field: 'len' }], filters: [inGroup('txt')] },
    expected: { rows: [[9, 0]] },
  },
  {
    name: 'an aggregate formula per group',
    formulas: [{ name: 'unit_price', expression: 'SUM([amount]) / SUM([qty])' }],
    query: { dimensions: ['city'], measures: [{ formula: 'unit_price' }], filters: [num] },
    expected: {
      columns: [
        { name: 'city', type: 'string' },
        { name: 'unit_price', type: 'number' },
      ],
      rows: [[null, 149.49], ['A', 12.345678], ['B', 157.5001 / 21], ['C', 0.764]],
      tolerance: NOISE,
    },
  },
  {
    name: 'an aggregate formula with as',
    formulas: [{ name: 'spread', expression: 'MAX([amount]) - MIN([amount])' }],
    query: { measures: [{ formula: 'spread', as: 'Spread' }], filters: [num] },
    expected: { columns: [{ name: 'Spread', type: 'number' }], rows: [[1246.9178]] },
  },
  {
    name: 'aggregate formulas: conditional sum, counts, rounded average',
    formulas: [
      { name: 'trues', expression: 'SUM(IF([flag], 1, 0))' },
      { name: 'cities', expression: 'COUNT_DISTINCT([city])' },
      { name: 'with_city', expression: 'COUNT([city])' },
      { name: 'mean', expression: 'ROUND(AVG([qty]), 2)' },
    ],
    query: { measures: [{ formula: 'trues' }, { formula: 'cities' }, { formula: 'with_city' }, { formula: 'mean' }], filters: [num] },
    expected: { rows: [[6, 3, 13, 8.36]] },
  },
  {
    name: 'an aggregate formula over a row formula',
    formulas: [
      { name: 'double', expression: '[qty] * 2' },
      { name: 'total', expression: 'SUM([double])' },
    ],
    query: { measures: [{ formula: 'total' }], filters: [num] },
    expected: { rows: [[234]] },
  },
  {
    name: 'the sum of a decimal product is exact',
    formulas: [{ name: 'value', expression: '[amount] * [qty]' }],
    query: { measures: [{ agg: 'sum', field: 'value' }], filters: [num] },
    expected: { rows: [[125652.5501]] },
  },
  {
    name: 'an aggregate formula divided by zero',
    formulas: [{ name: 'broken', expression: 'SUM([qty]) / 0' }],
    query: { measures: [{ formula: 'broken' }, { agg: 'count' }], filters: [num] },
    expected: { rows: [[null, 15]] },
  },
  {
    name: 'aggregate formulas over no rows',
    formulas: [
      { name: 'plus', expression: 'SUM([qty]) + 1' },
      { name: 'n', expression: 'COUNT([qty]) + 1' },
    ],
    query: { measures: [{ formula: 'plus' }, { formula: 'n' }], filters: [inGroup('no such group')] },
    expected: { rows: [[null, 1]] },
  },
  {
    name: 'an aggregate formula in having',
    formulas: [{ name: 'unit_price', expression: 'SUM([amount]) / SUM([qty])' }],
    query: { dimensions: ['city'], measures: [{ formula: 'unit_price' }], filters: [num], having: [{ field: 'unit_price', op: 'gt', value: 10 }] },
    expected: { rows: [[null, 149.49], ['A', 12.345678]], tolerance: NOISE },
  },
];

export const formulaCases: ConformanceCase[] = [
  ...operatorCases,
  ...numericFunctionCases,
  ...textFunctionCases,
  ...logicCases,
  ...dateFunctionCases,
  ...dateDiffCases,
  ...formulaUseCases,
];
