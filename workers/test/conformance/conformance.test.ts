/**
 * The conformance suite: every case on every database, compared with the result written in
 * the case. Equal to the same literal on each database means equal across databases.
 */
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isErrorCase, type ConformanceCase } from './case';
import { CASES_BY_TOPIC } from './cases/index';
import { availableDialects, openFixtureDatabases, type FixtureDatabases, type FixtureTarget, type RunDialect } from './databases';
import { KNOWN_FAILING } from './known-failing';
import { compile, mismatch, runQuery } from './run-case';

const SQLITE_FUNCTIONS = { moduleUrl: pathToFileURL(new URL('../../../query/index.ts', import.meta.url).pathname).href, exportName: 'sqliteFunctions' };

const dialects = await availableDialects();
let fixture: FixtureDatabases | undefined;

beforeAll(async () => {
  fixture = await openFixtureDatabases(dialects, SQLITE_FUNCTIONS);
});

afterAll(async () => {
  await fixture?.close();
});

function target(dialect: RunDialect): FixtureTarget {
  const t = fixture?.targets.find((x) => x.dialect === dialect);
  if (!t) throw new Error(`${dialect} is not loaded`);
  return t;
}

async function check(dialect: RunDialect, c: ConformanceCase): Promise<void> {
  const t = target(dialect);
  const table = c.table ?? 'core';
  const got = await runQuery(t.connector, {
    dialect,
    table,
    columns: t.columns[table],
    ...(c.formulas ? { formulas: c.formulas } : {}),
    query: c.query,
    ...(c.maxRows === undefined ? {} : { maxRows: c.maxRows }),
  });
  const problem = mismatch(got, c.expected);
  expect(problem, problem ?? '').toBeNull();
}

const seen = new Set<string>();
for (const [topic, cases] of Object.entries(CASES_BY_TOPIC)) {
  describe(topic, () => {
    for (const c of cases) {
      if (seen.has(c.name)) throw new Error(`two cases are named "${c.name}"`);
      seen.add(c.name);
      describe(c.name, () => {
        for (const dialect of dialects) {
          const known = KNOWN_FAILING[`${dialect}: ${c.name}`];
          if (known) it.fails(`${dialect} (known failing: ${known})`, () => check(dialect, c));
          else it(dialect, () => check(dialect, c));
        }
        // Redshift has no server here: its SQL must at least compile, or fail with the same code.
        it('redshift compiles', () => {
          const t = target(dialects.includes('postgres') ? 'postgres' : dialects[0] ?? 'sqlite');
          const table = c.table ?? 'core';
          const compiled = compile({ dialect: 'redshift', table, columns: t.columns[table], ...(c.formulas ? { formulas: c.formulas } : {}), query: c.query });
          if (isErrorCase(c.expected)) expect('kind' in compiled ? compiled : 'compiled').toMatchObject({ kind: 'error', code: c.expected.error });
          else expect('kind' in compiled ? compiled : { kind: 'compiled' }).toMatchObject({ kind: 'compiled' });
        });
      });
    }
  });
}

it('has at least 150 cases', () => {
  expect(seen.size).toBeGreaterThanOrEqual(150);
});

it('lists no known failure for a case that does not exist', () => {
  const unknown = Object.keys(KNOWN_FAILING).filter((k) => !seen.has(k.replace(/^[a-z]+: /, '')));
  expect(unknown).toEqual([]);
});
