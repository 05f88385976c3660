import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRegistry, settingsHash } from '../../connectors/registry';
import { parseConnectionSettings } from '../../connectors/settings';
import { PG_ADMIN, hasService } from '../../../testkit/services';
import { collect, connectorFailure } from './helpers';

const pgAvailable = await hasService('postgres');

describe('connector registry', () => {
  let root: string;
  let registry: ConnectorRegistry;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sl-registry-'));
    for (const name of ['a.db', 'b.db']) {
      const db = new Database(path.join(root, name));
      db.exec(`CREATE TABLE t (name TEXT); INSERT INTO t VALUES ('${name}')`);
      db.close();
    }
    registry = new ConnectorRegistry({ sqliteRoot: root, pool: { maxConnections: 2, idleTimeoutMs: 1000 } });
  });

  afterAll(async () => {
    await registry?.closeAll();
    await rm(root, { recursive: true, force: true });
  });

  it('keeps one connector per datasource while its settings stay the same', () => {
    const first = registry.get('ds-1', { kind: 'sqlite', file: 'a.db' });
    expect(registry.get('ds-1', { file: 'a.db', kind: 'sqlite' })).toBe(first);
    expect(registry.get('ds-2', { kind: 'sqlite', file: 'a.db' })).not.toBe(first);
    expect(registry.size).toBe(2);
  });

  it('hashes settings independently of key order', () => {
    const a = parseConnectionSettings({ kind: 'sqlite', file: 'a.db' });
    const b = parseConnectionSettings({ file: 'a.db', kind: 'sqlite' });
    expect(settingsHash(a)).toBe(settingsHash(b));
  });

  it('replaces and closes the pool when the settings change', async () => {
    const old = registry.get('ds-3', { kind: 'sqlite', file: 'a.db' });
    expect((await collect(old.execute('SELECT name FROM t', []))).rows).toEqual([['a.db']]);
    const renewed = registry.get('ds-3', { kind: 'sqlite', file: 'b.db' });
    expect(renewed).not.toBe(old);
    expect((await collect(renewed.execute('SELECT name FROM t', []))).rows).toEqual([['b.db']]);
    await connectorFailure(collect(old.execute('SELECT 1', [])), 'CLOSED');
  });

  it('validates settings before creating anything', () => {
    expect(() => registry.get('ds-4', { kind: 'sqlite', file: '/etc/passwd' })).toThrow(/absolute/);
    expect(() => registry.get('ds-4', 'postgres://u:p@h/db')).toThrow(/Invalid connection settings/);
  });

  it.runIf(pgAvailable)('tests unsaved settings on a throwaway pool', async () => {
    const result = await registry.testSettings({
      kind: 'postgres', host: PG_ADMIN.host, port: PG_ADMIN.port, database: PG_ADMIN.database,
      user: PG_ADMIN.user, password: '', sslMode: 'disable',
    });
    expect(result.ok).toBe(true);
  });

  it('closes every pool on shutdown', async () => {
    const local = new ConnectorRegistry({ sqliteRoot: root });
    const connector = local.get('ds', { kind: 'sqlite', file: 'a.db' });
    await collect(connector.execute('SELECT 1', []));
    await local.closeAll();
    expect(local.size).toBe(0);
    await connectorFailure(collect(connector.execute('SELECT 1', [])), 'CLOSED');
    expect(() => local.get('ds', { kind: 'sqlite', file: 'a.db' })).toThrow(/shut down/);
  });
});
