/**
 * No text of a query or formula reaches SQL as SQL: values are parameters, identifiers come
 * from the introspected columns only and are quoted per dialect, output names never appear.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compileQuery, createRowDecoder, registerSqliteFunctions } from '../index';
import type { Dialect, SourceColumn } from '../types';
import { errorOf } from './helpers';

const DIALECTS: Dialect[] = ['postgres', 'mysql', 'sqlite', 'redshift'];
const NASTY = [
  "'; DROP TABLE t; --",
  "\\'; DROP TABLE t; --",
  '" OR 1=1 --',
  '` OR 1=1 #',
  '/* comment */ 1; SELECT 1',
  'back\\slash\\',
  '$1 ? :name %s',
  'ünï © 名前 🚀',
  "Robert'); DROP TABLE students;--",
];

const columns: SourceColumn[] = [
  { name: 'we"ird', type: 'string', nativeType: 'text' },
  { name: 'back`tick', type: 'number', nativeType: 'integer' },
  { name: 'x; DROP TABLE t; --', type: 'string', nativeType: 'text' },
  { name: 'naïve 名前', type: 'string', nativeType: 'text' },
];

const compile = (dialect: Dialect, query: unknown, formulas: { name: string; expression: string }[] = []) =>
  compileQuery({ dialect, source: { kind: 'table', schema: 'my"schema', table: 'ta`ble' }, columns, formulas, query });

describe('values are always parameters', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: filter values, formula strings, as names`, () => {
      for (const bad of NASTY) {
        const c = compile(
          dialect,
          {
            dimensions: [{ field: 'f', as: bad }],
            measures: [{ agg: 'count', as: `${bad} count` }],
            filters: [
              { field: 'we"ird', op: 'eq', value: bad },
              { field: 'naïve 名前', op: 'in', values: [bad, 'b'] },
              { or: [{ field: 'x; DROP TABLE t; --', op: 'contains', value: bad }, { field: 'we"ird', op: 'starts_with', value: bad }] },
            ],
          },
          [{ name: 'f', expression: `CONCAT([we"ird], '${bad.replaceAll("'", "''")}')` }],
        );
        expect(c.sql).not.toContain(bad);
        expect(c.params.filter((p) => p === bad).length).toBe(5);
        expect(c.columns.map((col) => col.name)).toEqual([bad, `${bad} count`]);
      }
    });
  }
});

describe('identifiers are quoted from the introspected list', () => {
  it.each([
    ['postgres', '"we""ird"', '"back`tick"', '"my""schema"."ta`ble"'],
    ['redshift', '"we""ird"', '"back`tick"', '"my""schema"."ta`ble"'],
    ['sqlite', '"we""ird"', '"back`tick"', '"my""schema"."ta`ble"'],
    ['mysql', '`we"ird`', '`back``tick`', '`my"schema`.`ta``ble`'],
  ] as const)('%s escapes embedded quotes', (dialect, weird, tick, table) => {
    const c = compile(dialect, { dimensions: ['we"ird', 'x; DROP TABLE t; --', 'naïve 名前'], measures: [{ agg: 'sum', field: 'back`tick' }] });
    expect(c.sql).toContain(weird);
    expect(c.sql).toContain(tick);
    expect(c.sql).toContain(table);
    expect(c.sql).toContain('naïve 名前');
  });

  it.each(DIALECTS)('%s: unknown names are UNKNOWN_FIELD, never SQL', (dialect) => {
    for (const bad of NASTY) {
      expect(errorOf(() => compile(dialect, { dimensions: [bad] })).code).toBe('UNKNOWN_FIELD');
      expect(errorOf(() => compile(dialect, { filters: [{ field: bad, op: 'is_null' }] })).code).toBe('UNKNOWN_FIELD');
      expect(errorOf(() => compile(dialect, { dimensions: ['we"ird'], orderBy: [{ field: bad }] })).code).toBe('UNKNOWN_FIELD');
      expect(errorOf(() => compile(dialect, { measures: [{ formula: bad }] })).code).toBe('UNKNOWN_FIELD');
    }
    expect(errorOf(() => compile(dialect, { dimensions: ['f'] }, [{ name: 'f', expression: '[we"ird] + [x"; DROP]' }]))).toMatchObject({ code: 'UNKNOWN_FIELD', formula: 'f' });
    expect(errorOf(() => compile(dialect, { dimensions: ['f'] }, [{ name: 'f', expression: "1; DROP TABLE t" }])).code).toBe('FORMULA_SYNTAX');
    // `--` is two minus signs, not a comment: `comment` is then an unknown field.
    expect(errorOf(() => compile(dialect, { dimensions: ['f'] }, [{ name: 'f', expression: "[back`tick] -- comment" }]))).toMatchObject({ code: 'UNKNOWN_FIELD', position: { start: 15, end: 22 } });
    expect(errorOf(() => compile(dialect, { dimensions: ['f'] }, [{ name: 'f', expression: "EXEC('x')" }])).code).toBe('FORMULA_SYNTAX');
    expect(errorOf(() => compile(dialect, { timezone: "UTC'; DROP TABLE t; --" })).code).toBe('INVALID_QUERY');
  });
});

describe('on a real SQLite database', () => {
  it('stores and finds hostile values and names unchanged', () => {
    const db = new Database(':memory:');
    registerSqliteFunctions(db);
    db.exec('CREATE TABLE "ta`ble" ("we""ird" TEXT, "back`tick" INTEGER, "x; DROP TABLE t; --" TEXT, "naïve 名前" TEXT)');
    const ins = db.prepare('INSERT INTO "ta`ble" VALUES (?, ?, ?, ?)');
    NASTY.forEach((v, i) => ins.run(v, i, v, v));
    for (const bad of NASTY) {
      const c = compileQuery({
        dialect: 'sqlite',
        source: { kind: 'table', table: 'ta`ble' },
        columns,
        formulas: [{ name: 'echo', expression: `CONCAT([naïve 名前], '${bad.replaceAll("'", "''")}')` }],
        query: { dimensions: ['back`tick', 'echo'], filters: [{ field: 'we"ird', op: 'eq', value: bad }, { field: 'x; DROP TABLE t; --', op: 'contains', value: bad }] },
      });
      const rows = (db.prepare(c.sql).raw(true).all(...c.params) as never[][]).map(createRowDecoder('sqlite', c.columns));
      expect(rows).toEqual([[NASTY.indexOf(bad), bad + bad]]);
    }
    expect(db.prepare('SELECT COUNT(*) AS n FROM "ta`ble"').get()).toEqual({ n: NASTY.length });
    db.close();
  });
});
