import { readdir } from 'node:fs/promises';
import type { BenchSuite } from './types';

const SUITES_DIR = new URL('../suites/', import.meta.url);

function isBenchSuite(value: unknown): value is BenchSuite {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.description === 'string' && typeof v.run === 'function';
}

/** Names of the suites on disk: one module per file in `bench/suites/`, named as the file. */
export async function suiteNames(): Promise<string[]> {
  const files = await readdir(SUITES_DIR);
  return files
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

/** Imports one suite and checks it keeps the contract of `BenchSuite`. */
export async function loadSuite(name: string): Promise<BenchSuite> {
  const mod = (await import(new URL(`${name}.ts`, SUITES_DIR).href)) as { default?: unknown };
  const suite = mod.default;
  if (!isBenchSuite(suite)) throw new Error(`bench/suites/${name}.ts must export default { name, description, run }`);
  if (suite.name !== name) throw new Error(`bench/suites/${name}.ts exports the suite "${suite.name}": name it as its file`);
  return suite;
}
