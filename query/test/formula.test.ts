import { describe, expect, it } from 'vitest';
import { parseFormula } from '../formula/parser';
import { validateFormula } from '../index';
import type { SourceColumn } from '../types';
import { errorOf } from './helpers';

const columns: SourceColumn[] = [
  { name: 'sales', type: 'number', nativeType: 'numeric' },
  { name: 'unit price', type: 'number', nativeType: 'numeric' },
  { name: 'city', type: 'string', nativeType: 'text' },
  { name: 'day', type: 'date', nativeType: 'date' },
  { name: 'at', type: 'timestamp', nativeType: 'timestamptz' },
  { name: 'ok', type: 'boolean', nativeType: 'boolean' },
];

const check = (expression: string, formulas: { name: string; expression: string }[] = []) =>
  validateFormula(columns, formulas, { name: 'f', expression });

describe('formula parser', () => {
  it('parses precedence, brackets, keywords in any case and quotes', () => {
    const ast = parseFormula("[unit price] * 2 + 1 > 3 and not [ok] or [city] = 'it''s'", 'f');
    expect(ast.kind).toBe('binary');
    expect(ast.kind === 'binary' && ast.op).toBe('OR');
    expect(check("IF([sales] > 1 AND NOT [ok], 'a''b', NULL)")).toEqual({ type: 'string', aggregate: false });
    expect(check('sales * -2')).toEqual({ type: 'number', aggregate: false });
  });

  it.each([
    ['[sales] +', 9, 9, 'expected a value, found the end of the formula'],
    ['[sales] + * 2', 10, 11, 'expected a value, found "*"'],
    ["'abc", 0, 4, 'unclosed string'],
    ['[sales', 0, 6, 'unclosed "["'],
    ['[sales] # 2', 8, 9, 'unexpected character "#"'],
    ['([sales] + 1', 12, 12, 'expected ")"'],
    ['1 < 2 < 3', 6, 7, 'comparisons do not chain'],
    ['[sales] [city]', 8, 14, 'expected an operator or the end of the formula'],
    ['', 0, 0, 'the formula is empty'],
    ['12abc', 2, 3, 'after the number'],
  ])('reports %j as FORMULA_SYNTAX at %i–%i', (expression, start, end, message) => {
    const e = errorOf(() => check(expression));
    expect(e.code).toBe('FORMULA_SYNTAX');
    expect(e.formula).toBe('f');
    expect(e.position).toEqual({ start, end });
    expect(e.message).toContain(message);
  });

  it('reports unknown functions and wrong arity as FORMULA_SYNTAX at the call', () => {
    expect(errorOf(() => check('1 + FOO([sales])'))).toMatchObject({ code: 'FORMULA_SYNTAX', position: { start: 4, end: 7 } });
    expect(errorOf(() => check('ROUND()'))).toMatchObject({ code: 'FORMULA_SYNTAX', position: { start: 0, end: 7 } });
    expect(check('round([sales], 1)')).toEqual({ type: 'number', aggregate: false });
  });
});

describe('formula type checking', () => {
  it('types functions and knows aggregates', () => {
    expect(check('SUM([sales]) / COUNT()')).toEqual({ type: 'number', aggregate: true });
    expect(check('count_distinct([city])')).toEqual({ type: 'number', aggregate: true });
    expect(check('MAX([at])')).toEqual({ type: 'timestamp', aggregate: true });
    expect(check("DATE_TRUNC('month', [at])")).toEqual({ type: 'date', aggregate: false });
    expect(check("DATE_TRUNC('HOUR', [at])")).toEqual({ type: 'timestamp', aggregate: false });
    expect(check("DATE_DIFF('day', [day], [at])")).toEqual({ type: 'number', aggregate: false });
    expect(check('CONCAT([city], [sales], [ok], [day])')).toEqual({ type: 'string', aggregate: false });
    expect(check('LENGTH(TRIM(LOWER([city]))) + YEAR([day])')).toEqual({ type: 'number', aggregate: false });
    expect(check('COALESCE([sales], 0) % 2')).toEqual({ type: 'number', aggregate: false });
  });

  it.each([
    ["[sales] + 'x'", 8, 9, '"+" needs numbers'],
    ["[city] > 2", 7, 8, 'cannot compare a string with a number'],
    ['SUM([city])', 4, 10, 'SUM needs a number'],
    ['UPPER([sales])', 6, 13, 'UPPER argument 1 must be a string'],
    ["IF([sales], 1, 2)", 3, 10, 'IF argument 1 must be a boolean'],
    ["IF([ok], 1, 'a')", 12, 15, 'one type'],
    ["DATE_TRUNC('hour', [day])", 19, 24, "needs a timestamp"],
    ["DATE_TRUNC('fortnight', [day])", 11, 22, 'unit must be'],
    ["ROUND([sales], [sales])", 15, 22, 'ROUND digits must be an integer'],
    ["NOT [sales]", 0, 11, 'NOT needs a boolean'],
  ])('%j is TYPE_MISMATCH at %i–%i', (expression, start, end, message) => {
    const e = errorOf(() => check(expression));
    expect(e).toMatchObject({ code: 'TYPE_MISMATCH', formula: 'f', position: { start, end } });
    expect(e.message).toContain(message);
  });

  it('rejects nested aggregates and mixing row values with aggregates', () => {
    expect(errorOf(() => check('SUM(AVG([sales]))'))).toMatchObject({ code: 'INVALID_QUERY', position: { start: 4, end: 16 } });
    expect(errorOf(() => check('SUM([t])', [{ name: 't', expression: 'SUM([sales])' }]))).toMatchObject({ code: 'INVALID_QUERY', position: { start: 4, end: 7 } });
    expect(errorOf(() => check('SUM([sales]) + [sales]'))).toMatchObject({ code: 'INVALID_QUERY', message: expect.stringContaining('mixes aggregated and row values') });
    expect(check('SUM([sales]) + 1')).toEqual({ type: 'number', aggregate: true });
  });

  it('reports unknown fields with their position; names are case-sensitive', () => {
    expect(errorOf(() => check('[sales] + [Sales]'))).toMatchObject({ code: 'UNKNOWN_FIELD', formula: 'f', position: { start: 10, end: 17 } });
    expect(errorOf(() => check('nope * 2'))).toMatchObject({ code: 'UNKNOWN_FIELD', position: { start: 0, end: 4 } });
  });

  it('names the formulas of a cycle', () => {
    const formulas = [
      { name: 'a', expression: '[b] + 1' },
      { name: 'b', expression: '[c] * 2' },
      { name: 'c', expression: '[a]' },
    ];
    const e = errorOf(() => validateFormula(columns, formulas, { name: 'a', expression: '[b] + 1' }));
    expect(e.code).toBe('FORMULA_CYCLE');
    expect(e.message).toContain('a → b → c → a');
    expect(errorOf(() => check('[f] + 1')).message).toContain('f → f');
  });

  it('uses other formulas and their types', () => {
    const formulas = [{ name: 'margin', expression: '[sales] * 0.2' }, { name: 'total', expression: 'SUM([margin])' }];
    expect(check('[total] / 2', formulas)).toEqual({ type: 'number', aggregate: true });
    expect(check('[margin] > 2', formulas)).toEqual({ type: 'boolean', aggregate: false });
  });

  it('checks formula names', () => {
    expect(errorOf(() => validateFormula(columns, [], { name: 'a[b]', expression: '1' })).code).toBe('INVALID_QUERY');
    expect(errorOf(() => validateFormula(columns, [], { name: '', expression: '1' })).code).toBe('INVALID_QUERY');
    expect(errorOf(() => validateFormula(columns, [], { name: 'sales', expression: '1' })).code).toBe('INVALID_QUERY');
    expect(validateFormula(columns, [], { name: 'any text, even "quotes"', expression: '1' })).toEqual({ type: 'number', aggregate: false });
  });
});
