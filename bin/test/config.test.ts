import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';
import { printedSchema } from '../print-schema';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sightline-config-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('configuration', () => {
  it('the distributed mode refuses to start without a secret key', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/sightline', DATA_DIR: tempDir() })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/sightline', DATA_DIR: tempDir() })).toThrow(/SIGHTLINE_SECRET_KEY is not set/);
  });

  it.each([
    ['a well-known default', 'changeme'],
    ['a short key', 'abcdef0123456789'],
    ['a repetitive key', 'a'.repeat(64)],
  ])('the distributed mode refuses %s', (_label, key) => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/x', SIGHTLINE_SECRET_KEY: key, DATA_DIR: tempDir() })).toThrow(ConfigError);
  });

  it('accepts 32 random bytes in hex', () => {
    const key = '3f'.repeat(2) + Array.from({ length: 30 }, (_, i) => (i * 37 + 11).toString(16).padStart(2, '0')).join('');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', SIGHTLINE_SECRET_KEY: key, DATA_DIR: tempDir() }).mode).toBe('distributed');
  });

  it('the embedded mode creates one key per data folder, private, and reuses it', () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.mode).toBe('embedded');
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dir }).secretKey.equals(first.secretKey)).toBe(true);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8')).toHaveLength(64);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: tempDir() })).toThrow(/^PORT: /);
    expect(() => loadConfig({ DATABASE_URL: 'not a url', DATA_DIR: tempDir() })).toThrow(/^DATABASE_URL: /);
  });
});

describe('schema.graphql', () => {
  it('is committed up to date with the code (run `npm run schema:print`)', () => {
    expect(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8')).toBe(printedSchema());
  });
});
