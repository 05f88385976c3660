import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../connectors/errors';
import { parseConnectionSettings } from '../../connectors/settings';
import { resolveSqliteFile } from '../../connectors/sqlite/sqlite-path';
import { connectorFailure } from './helpers';

const pgSettings = {
  kind: 'postgres',
  host: 'db.example.com',
  port: 5432,
  database: 'sales',
  user: 'reader',
  password: 'pw',
  sslMode: 'verify-full',
};

function invalid(input: unknown): ConnectorError {
  try {
    parseConnectionSettings(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('INVALID_SETTINGS');
    return err as ConnectorError;
  }
  throw new Error('settings were accepted');
}

describe('connection settings', () => {
  it('accepts structured settings for every kind', () => {
    expect(parseConnectionSettings(pgSettings)).toEqual(pgSettings);
    expect(parseConnectionSettings({ ...pgSettings, kind: 'mysql', port: 3306 }).kind).toBe('mysql');
    expect(parseConnectionSettings({ ...pgSettings, kind: 'redshift', port: 5439 }).kind).toBe('redshift');
    expect(parseConnectionSettings({ kind: 'sqlite', file: 'team/sales.db' })).toEqual({ kind: 'sqlite', file: 'team/sales.db' });
  });

  it('rejects raw connection URLs in every form', () => {
    invalid('postgres://reader:pw@db.example.com/sales');
    const extraKey = invalid({ ...pgSettings, url: 'postgres://reader:hunter2@db.example.com/sales' });
    expect(extraKey.message).not.toContain('hunter2');
    invalid({ ...pgSettings, host: 'postgres://db.example.com' });
    invalid({ ...pgSettings, host: 'reader:pw@db.example.com' });
    invalid({ ...pgSettings, database: 'postgres://x/y' });
  });

  it('rejects driver options passed through and bad values, naming the field', () => {
    expect(invalid({ ...pgSettings, options: '-c search_path=evil' }).message).toMatch(/options/);
    expect(invalid({ ...pgSettings, port: 70000 }).message).toMatch(/port/);
    expect(invalid({ ...pgSettings, sslMode: 'prefer' }).message).toMatch(/sslMode/);
    expect(invalid({ ...pgSettings, ca: '/etc/ssl/ca.pem' }).message).toMatch(/PEM/);
    invalid({ ...pgSettings, kind: 'oracle' });
    invalid({ kind: 'sqlite', file: 'a.db', readonly: false });
  });

  it('never echoes the password', () => {
    const err = invalid({ ...pgSettings, password: 'Sup3r-Secret', port: 'nope' });
    expect(err.message).not.toContain('Sup3r-Secret');
  });

  it('rejects absolute, parent-relative and URI SQLite paths', () => {
    expect(invalid({ kind: 'sqlite', file: '/etc/passwd' }).message).toMatch(/absolute/);
    expect(invalid({ kind: 'sqlite', file: '../other/tenant.db' }).message).toMatch(/\.\./);
    invalid({ kind: 'sqlite', file: 'team/../../x.db' });
    invalid({ kind: 'sqlite', file: 'C:\\data\\x.db' });
    invalid({ kind: 'sqlite', file: 'file:x.db?mode=rwc' });
    invalid({ kind: 'sqlite', file: '' });
  });
});

describe('SQLite file resolution', () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sl-sqlite-root-'));
    outside = await mkdtemp(path.join(tmpdir(), 'sl-sqlite-outside-'));
    await mkdir(path.join(root, 'team'));
    await writeFile(path.join(root, 'team', 'ok.db'), '');
    await writeFile(path.join(outside, 'secret.db'), '');
    await symlink(path.join(outside, 'secret.db'), path.join(root, 'escape.db'));
    await symlink(outside, path.join(root, 'escape-dir'));
    await symlink(path.join(root, 'team', 'ok.db'), path.join(root, 'inner-link.db'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('resolves a file inside the root, links inside it included', async () => {
    await expect(resolveSqliteFile(root, 'team/ok.db')).resolves.toMatch(/team\/ok\.db$/);
    await expect(resolveSqliteFile(root, 'inner-link.db')).resolves.toMatch(/team\/ok\.db$/);
  });

  it('refuses links leading outside the root', async () => {
    await connectorFailure(resolveSqliteFile(root, 'escape.db'), 'INVALID_SETTINGS');
    await connectorFailure(resolveSqliteFile(root, 'escape-dir/secret.db'), 'INVALID_SETTINGS');
  });

  it('refuses paths that leave the root and reports missing files', async () => {
    await connectorFailure(resolveSqliteFile(root, '../x.db'), 'INVALID_SETTINGS');
    await connectorFailure(resolveSqliteFile(root, path.join(outside, 'secret.db')), 'INVALID_SETTINGS');
    await connectorFailure(resolveSqliteFile(root, 'missing.db'), 'CONNECTION_FAILED');
    await connectorFailure(resolveSqliteFile(root, 'team'), 'CONNECTION_FAILED');
  });
});
