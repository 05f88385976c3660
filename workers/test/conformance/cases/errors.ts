import { fails, inGroup, type ConformanceCase } from '../case';

const num = inGroup('num');
const count = [{ agg: 'count' }];

/** Bad input: each is refused with its stable code before any SQL runs. */
export const errorCases: ConformanceCase[] = [
  // UNKNOWN_FIELD: any unknown name.
  fails('unknown dimension', { dimensions: ['nope'] }, 'UNKNOWN_FIELD', undefined, { path: 'dimensions[0]', mentions: ['nope'] }),
  fails('field names are case-sensitive', { dimensions: ['City'] }, 'UNKNOWN_FIELD'),
  fails('unknown measure field', { measures: [{ agg: 'sum', field: 'nope' }] }, 'UNKNOWN_FIELD'),
  fails('unknown count field', { measures: [{ agg: 'count', field: 'nope' }] }, 'UNKNOWN_FIELD'),
  fails('unknown filter field', { measures: count, filters: [{ field: 'nope', op: 'eq', value: 1 }] }, 'UNKNOWN_FIELD'),
  fails('unknown field inside not', { measures: count, filters: [{ not: { field: 'nope', op: 'is_null' } }] }, 'UNKNOWN_FIELD'),
  fails('unknown formula measure', { measures: [{ formula: 'nope' }] }, 'UNKNOWN_FIELD'),
  fails('a formula referencing an unknown column', { dimensions: ['f'] }, 'UNKNOWN_FIELD', [{ name: 'f', expression: '[nope] + 1' }], {
    formula: 'f',
    position: true,
    mentions: ['nope'],
  }),
  fails('unknown orderBy', { dimensions: ['city'], orderBy: [{ field: 'nope' }] }, 'UNKNOWN_FIELD'),
  fails('unknown having', { dimensions: ['city'], measures: count, having: [{ field: 'nope', op: 'gt', value: 1 }] }, 'UNKNOWN_FIELD', undefined, { path: 'having[0]' }),
  fails('a bracketed name with a trailing space is another name', { dimensions: ['f'] }, 'UNKNOWN_FIELD', [{ name: 'f', expression: '[qty ]' }]),

  // FORMULA_SYNTAX: does not parse, or calls an unknown function.
  fails('a dangling operator', { dimensions: ['f'] }, 'FORMULA_SYNTAX', [{ name: 'f', expression: '1 +' }], { path: 'dimensions[0]', formula: 'f', position: true }),
  fails('an unknown function', { dimensions: ['f'] }, 'FORMULA_SYNTAX', [{ name: 'f', expression: 'FOO([qty])' }], { path: 'dimensions[0]', formula: 'f', position: true }),
  fails('an unterminated string', { dimensions: ['f'] }, 'FORMULA_SYNTAX', [{ name: 'f', expression: "'abc" }], { path: 'dimensions[0]', formula: 'f', position: true }),
  fails('an unterminated bracket', { dimensions: ['f'] }, 'FORMULA_SYNTAX', [{ name: 'f', expression: '[qty' }], { path: 'dimensions[0]', formula: 'f', position: true }),
  fails('an empty argument', { dimensions: ['f'] }, 'FORMULA_SYNTAX', [{ name: 'f', expression: 'ROUND([qty],)' }], { path: 'dimensions[0]', formula: 'f', position: true }),
  fails('unbalanced parentheses', { dimensions: ['f'] }, 'FORMULA_SYNTAX', [{ name: 'f', expression: '(1 + 2' }], { path: 'dimensions[0]', formula: 'f', position: true }),
  fails('two expressions side by side', { dimensions: ['f'] }, 'FORMULA_SYNTAX', [{ name: 'f', expression: '1 2' }], { path: 'dimensions[0]', formula: 'f', position: true }),
  fails('an empty formula', { dimensions: ['f'] }, 'FORMULA_SYNTAX', [{ name: 'f', expression: '' }], { path: 'dimensions[0]', formula: 'f', position: true }),
  fails('a semicolon is not an operator', { dimensions: ['f'] }, 'FORMULA_SYNTAX', [{ name: 'f', expression: '1; SELECT 2' }], { path: 'dimensions[0]', formula: 'f', position: true }),

  // FORMULA_CYCLE.
  fails('a formula referencing itself', { dimensions: ['a'] }, 'FORMULA_CYCLE', [{ name: 'a', expression: '[a] + 1' }], { mentions: ['a'] }),
  fails('a two-formula cycle', { dimensions: ['a'] }, 'FORMULA_CYCLE', [
    { name: 'a', expression: '[b] + 1' },
    { name: 'b', expression: '[a] * 2' },
  ], { mentions: ['a', 'b'] }),
  fails('a three-formula cycle reached from outside', { dimensions: ['start'] }, 'FORMULA_CYCLE', [
    { name: 'start', expression: '[a]' },
    { name: 'a', expression: '[b]' },
    { name: 'b', expression: '[c]' },
    { name: 'c', expression: 'SUBSTR([a], 1)' },
  ], { mentions: ['a', 'b', 'c'] }),

  // TYPE_MISMATCH: a value or field of the wrong type.
  fails('sum of text', { measures: [{ agg: 'sum', field: 'city' }] }, 'TYPE_MISMATCH'),
  fails('avg of a date', { measures: [{ agg: 'avg', field: 'd' }] }, 'TYPE_MISMATCH'),
  fails('a string value for a number field', { measures: count, filters: [{ field: 'qty', op: 'eq', value: '5' }] }, 'TYPE_MISMATCH'),
  fails('a number value for a text field', { measures: count, filters: [{ field: 'city', op: 'eq', value: 5 }] }, 'TYPE_MISMATCH'),
  fails('a string value for a boolean field', { measures: count, filters: [{ field: 'flag', op: 'eq', value: 'true' }] }, 'TYPE_MISMATCH'),
  fails('a number inside in for a text field', { measures: count, filters: [{ field: 'city', op: 'in', values: ['Paris', 1] }] }, 'TYPE_MISMATCH'),
  fails('contains on a number field', { measures: count, filters: [{ field: 'qty', op: 'contains', value: '1' }] }, 'TYPE_MISMATCH'),
  fails("DATE_TRUNC('hour') of a date", { dimensions: ['f'] }, 'TYPE_MISMATCH', [{ name: 'f', expression: "DATE_TRUNC('hour', [d])" }]),
  fails('an hour granularity on a date', { dimensions: [{ field: 'd', granularity: 'hour' }] }, 'TYPE_MISMATCH'),
  fails('a granularity on text', { dimensions: [{ field: 'city', granularity: 'month' }] }, 'TYPE_MISMATCH'),
  fails('text plus a number in a formula', { dimensions: ['f'] }, 'TYPE_MISMATCH', [{ name: 'f', expression: "[city] + 1" }]),
  fails('SUM of text in a formula', { measures: [{ formula: 'f' }] }, 'TYPE_MISMATCH', [{ name: 'f', expression: 'SUM([label])' }]),

  // INVALID_QUERY: bad shape or a misplaced field.
  fails('eq null', { measures: count, filters: [{ field: 'city', op: 'eq', value: null }] }, 'INVALID_QUERY'),
  fails('neq null', { measures: count, filters: [{ field: 'city', op: 'neq', value: null }] }, 'INVALID_QUERY'),
  fails('a null inside in', { measures: count, filters: [{ field: 'city', op: 'in', values: ['Paris', null] }] }, 'INVALID_QUERY'),
  fails('a null inside not_in', { measures: count, filters: [{ field: 'qty', op: 'not_in', values: [null] }] }, 'INVALID_QUERY'),
  fails('empty or', { measures: count, filters: [{ or: [] }] }, 'INVALID_QUERY'),
  fails('empty values', { measures: count, filters: [{ field: 'city', op: 'in', values: [] }] }, 'INVALID_QUERY'),
  fails('an unknown top-level key', { measures: count, filter: [num] }, 'INVALID_QUERY'),
  fails('an unknown key in a measure', { measures: [{ agg: 'sum', field: 'qty', alias: 'x' }] }, 'INVALID_QUERY'),
  fails('an unknown key in a filter', { measures: count, filters: [{ field: 'qty', op: 'eq', value: 1, values: [2] }] }, 'INVALID_QUERY'),
  fails('an unknown op', { measures: count, filters: [{ field: 'city', op: 'like', value: 'P%' }] }, 'INVALID_QUERY'),
  fails('an unknown aggregate', { measures: [{ agg: 'median', field: 'qty' }] }, 'INVALID_QUERY'),
  fails('an unknown granularity', { dimensions: [{ field: 'ts', granularity: 'decade' }] }, 'INVALID_QUERY'),
  fails('an unknown timezone', { measures: count, timezone: 'Mars/Olympus' }, 'INVALID_QUERY'),
  fails('an offset is not a timezone name', { measures: count, timezone: '+02:00' }, 'INVALID_QUERY'),
  fails('two output columns with one name', { dimensions: ['city'], measures: [{ agg: 'count', as: 'city' }] }, 'INVALID_QUERY'),
  fails('two identical measures', { measures: [{ agg: 'sum', field: 'qty' }, { agg: 'sum', field: 'qty' }] }, 'INVALID_QUERY'),
  fails('an aggregate formula as a dimension', { dimensions: ['total'] }, 'INVALID_QUERY', [{ name: 'total', expression: 'SUM([qty])' }]),
  fails('a nested aggregate', { measures: [{ formula: 'f' }] }, 'INVALID_QUERY', [{ name: 'f', expression: 'SUM(AVG([qty]))' }]),
  fails('a row formula as a measure', { measures: [{ formula: 'f' }] }, 'INVALID_QUERY', [{ name: 'f', expression: '[qty] * 2' }]),
  fails('an aggregate formula in filters', { measures: count, filters: [{ field: 'total', op: 'gt', value: 1 }] }, 'INVALID_QUERY', [
    { name: 'total', expression: 'SUM([qty])' },
  ]),
  fails('a negative limit', { measures: count, limit: -1 }, 'INVALID_QUERY'),
  fails('a fractional limit', { measures: count, limit: 1.5 }, 'INVALID_QUERY'),
  fails('a limit as text', { measures: count, limit: '10' }, 'INVALID_QUERY'),
  fails('a query that is not an object', [], 'INVALID_QUERY'),
  fails('between with one bound', { measures: count, filters: [{ field: 'qty', op: 'between', values: [1] }] }, 'INVALID_QUERY'),
  fails('an unknown orderBy direction', { dimensions: ['city'], orderBy: [{ field: 'city', dir: 'up' }] }, 'INVALID_QUERY'),
  fails('count_distinct without a field', { measures: [{ agg: 'count_distinct' }] }, 'INVALID_QUERY'),
];
