/**
 * Loads the fixture into a fresh PostgreSQL database, a fresh MariaDB database and a temporary
 * SQLite file, with the drivers directly, and opens the product's connectors on them.
 *
 * Text columns get the collations real servers have, not the binary ones a test would find
 * convenient: an ICU `en-US` collation in PostgreSQL (like an en_US.UTF-8 cluster, where
 * 'a' < 'B') and MariaDB's server default `utf8mb4_general_ci` (where 'Paris' = 'paris').
 * The contract's binary text semantics must then come from the compiler itself.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Dialect, SourceColumn } from '../../../query/types';
import { createMysqlDatabase, createPgDatabase, hasService, MYSQL_ADMIN, PG_ADMIN, type TempDatabase } from '../../../testkit/services';
import { MysqlConnector } from '../../connectors/mysql/mysql-connector';
import { PostgresConnector } from '../../connectors/postgres/postgres-connector';
import { SqliteConnector } from '../../connectors/sqlite/sqlite-connector';
import type { SqliteFunctionsModule } from '../../connectors/sqlite/sqlite-protocol';
import { DEFAULT_POOL_OPTIONS, type Connector } from '../../connectors/types';
import {
  CORE_ROWS, FIXTURE_COLUMNS, HOSTILE_NUMBER_COLUMN, HOSTILE_ROWS, HOSTILE_TEXT_COLUMNS, bulkRows,
  type FixtureColumn, type FixtureRow,
} from './fixture';

export type RunDialect = Exclude<Dialect, 'redshift'>;
export type FixtureTable = 'core' | 'bulk' | 'hostile';

type Kind = 'int' | 'text' | 'decimal' | 'double' | 'bool' | 'date' | 'timestamp';

const KINDS: Record<FixtureColumn, Kind> = {
  id: 'int', grp: 'text', city: 'text', label: 'text', amount: 'decimal', qty: 'int', ratio: 'double',
  flag: 'bool', d: 'date', d2: 'date', ts: 'timestamp', ts2: 'timestamp',
};

const HOSTILE_COLUMNS: [string, Kind][] = [
  ['id', 'int'],
  ...HOSTILE_TEXT_COLUMNS.map((c): [string, Kind] => [c, 'text']),
  [HOSTILE_NUMBER_COLUMN, 'int'],
];

const DDL: Record<RunDialect, Record<Kind, string>> = {
  postgres: {
    int: 'INTEGER', text: 'TEXT COLLATE "en-US-x-icu"', decimal: 'NUMERIC(12,4)', double: 'DOUBLE PRECISION',
    bool: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMPTZ',
  },
  mysql: {
    int: 'INT', text: 'VARCHAR(255)', decimal: 'DECIMAL(12,4)', double: 'DOUBLE',
    bool: 'BOOLEAN', date: 'DATE', timestamp: 'DATETIME(3)',
  },
  sqlite: {
    int: 'INTEGER', text: 'TEXT', decimal: 'DECIMAL(12,4)', double: 'REAL',
    bool: 'BOOLEAN', date: 'DATE', timestamp: 'DATETIME',
  },
};

type Cell = string | number | boolean | null;

/** A fixture value as each driver should bind it. */
function bindValue(dialect: RunDialect, kind: Kind, value: Cell): Cell {
  if (value === null) return null;
  if (kind === 'bool') return dialect === 'postgres' ? value : value ? 1 : 0;
  // MariaDB does not parse the T and Z of ISO instants; the session time zone is UTC.
  if (kind === 'timestamp' && dialect === 'mysql') return String(value).replace('T', ' ').replace('Z', '');
  // SQLite stores decimals by NUMERIC affinity as REAL (or INTEGER when whole).
  if (kind === 'decimal' && dialect === 'sqlite') return Number(value);
  return value;
}

function quote(dialect: RunDialect, name: string): string {
  return dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
}

interface TableSpec {
  name: FixtureTable;
  columns: [string, Kind][];
  rows: Cell[][];
}

function tableSpecs(): TableSpec[] {
  const fixtureColumns = FIXTURE_COLUMNS.map((c): [string, Kind] => [c, KINDS[c]]);
  const asCells = (r: FixtureRow): Cell[] => FIXTURE_COLUMNS.map((c) => r[c]);
  return [
    { name: 'core', columns: fixtureColumns, rows: CORE_ROWS.map(asCells) },
    { name: 'bulk', columns: fixtureColumns, rows: bulkRows().map(asCells) },
    { name: 'hostile', columns: HOSTILE_COLUMNS, rows: HOSTILE_ROWS.map((r) => HOSTILE_COLUMNS.map(([c]) => (r as Record<string, Cell>)[c] ?? null)) },
  ];
}

function createTableSql(dialect: RunDialect, spec: TableSpec): string {
  const cols = spec.columns.map(([name, kind]) => `${quote(dialect, name)} ${DDL[dialect][kind]}${name === 'id' ? ' PRIMARY KEY' : ''}`);
  const tail = dialect === 'mysql' ? ' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci' : '';
  return `CREATE TABLE ${quote(dialect, spec.name)} (${cols.join(', ')})${tail}`;
}

const BATCH = 500;

function* batches(spec: TableSpec, dialect: RunDialect): Generator<{ sql: string; params: Cell[] }> {
  const names = spec.columns.map(([n]) => quote(dialect, n)).join(', ');
  for (let start = 0; start < spec.rows.length; start += BATCH) {
    const slice = spec.rows.slice(start, start + BATCH);
    const params: Cell[] = [];
    const tuples = slice.map((row) => {
      const marks = row.map((value, i) => {
        const kind = spec.columns[i]?.[1] ?? 'text';
        params.push(bindValue(dialect, kind, value));
        return dialect === 'postgres' ? `$${params.length}` : '?';
      });
      return `(${marks.join(', ')})`;
    });
    yield { sql: `INSERT INTO ${quote(dialect, spec.name)} (${names}) VALUES ${tuples.join(', ')}`, params };
  }
}

/** One database of the fixture, reachable through the product's connector. */
export interface FixtureTarget {
  dialect: RunDialect;
  connector: Connector;
  /** Columns as the connector introspected them, by table. */
  columns: Record<FixtureTable, SourceColumn[]>;
  /** Table names with a row count and a checksum of every value, to prove nothing changed. */
  snapshot(): Promise<string>;
}

export interface FixtureDatabases {
  targets: FixtureTarget[];
  close(): Promise<void>;
}

async function introspected(connector: Connector): Promise<Record<FixtureTable, SourceColumn[]>> {
  const { tables } = await connector.introspect();
  const find = (name: FixtureTable): SourceColumn[] => {
    const table = tables.find((t) => t.name === name);
    if (!table) throw new Error(`table ${name} was not introspected`);
    return table.columns;
  };
  return { core: find('core'), bulk: find('bulk'), hostile: find('hostile') };
}

function digest(tables: string[], dump: (table: string) => unknown[][]): string {
  return tables
    .map((t) => {
      const rows = dump(t);
      const hash = createHash('sha256').update(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).digest('hex');
      return `${t}:${rows.length}:${hash}`;
    })
    .join('\n');
}

async function postgresTarget(specs: TableSpec[]): Promise<{ target: FixtureTarget; drop: () => Promise<void> }> {
  const db: TempDatabase = await createPgDatabase('sl_conformance');
  const client = new pg.Client({ ...PG_ADMIN, database: db.name });
  await client.connect();
  try {
    for (const spec of specs) {
      await client.query(createTableSql('postgres', spec));
      for (const b of batches(spec, 'postgres')) await client.query(b.sql, b.params);
    }
  } finally {
    await client.end();
  }
  const connector = new PostgresConnector(
    { kind: 'postgres', host: PG_ADMIN.host, port: PG_ADMIN.port, database: db.name, user: PG_ADMIN.user, password: '', sslMode: 'disable' },
    DEFAULT_POOL_OPTIONS,
  );
  const snapshot = async (): Promise<string> => {
    const c = new pg.Client({ ...PG_ADMIN, database: db.name });
    await c.connect();
    try {
      const names = await c.query<{ n: string }>(
        "SELECT table_schema || '.' || table_name AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
      );
      const dumps = new Map<string, unknown[][]>();
      for (const { n } of names.rows) {
        const [schema = '', table = ''] = n.split('.');
        const r = await c.query({ text: `SELECT * FROM "${schema}"."${table.replaceAll('"', '""')}" ORDER BY 1`, rowMode: 'array' });
        dumps.set(n, r.rows as unknown[][]);
      }
      return digest(names.rows.map((r) => r.n), (t) => dumps.get(t) ?? []);
    } finally {
      await c.end();
    }
  };
  return {
    target: { dialect: 'postgres', connector, columns: await introspected(connector), snapshot },
    drop: async () => {
      await connector.close();
      await db.drop();
    },
  };
}

async function mysqlTarget(specs: TableSpec[]): Promise<{ target: FixtureTarget; drop: () => Promise<void> }> {
  const db: TempDatabase = await createMysqlDatabase('sl_conformance');
  const open = () => mysql.createConnection({ ...MYSQL_ADMIN, database: db.name, charset: 'utf8mb4', timezone: 'Z', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  const conn = await open();
  try {
    await conn.query("SET time_zone = '+00:00'");
    for (const spec of specs) {
      await conn.query(createTableSql('mysql', spec));
      for (const b of batches(spec, 'mysql')) await conn.query(b.sql, b.params);
    }
  } finally {
    await conn.end();
  }
  const connector = new MysqlConnector(
    { kind: 'mysql', host: MYSQL_ADMIN.host, port: MYSQL_ADMIN.port, database: db.name, user: MYSQL_ADMIN.user, password: MYSQL_ADMIN.password, sslMode: 'disable' },
    DEFAULT_POOL_OPTIONS,
  );
  const snapshot = async (): Promise<string> => {
    const c = await open();
    try {
      const [names] = await c.query<mysql.RowDataPacket[]>(
        'SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1',
      );
      const tables = names.map((r) => String(r.n));
      const dumps = new Map<string, unknown[][]>();
      for (const t of tables) {
        const [rows] = await c.query({ sql: `SELECT * FROM \`${t.replaceAll('`', '``')}\` ORDER BY 1`, rowsAsArray: true });
        dumps.set(t, rows as unknown[][]);
      }
      return digest(tables, (t) => dumps.get(t) ?? []);
    } finally {
      await c.end();
    }
  };
  return {
    target: { dialect: 'mysql', connector, columns: await introspected(connector), snapshot },
    drop: async () => {
      await connector.close();
      await db.drop();
    },
  };
}

async function sqliteTarget(specs: TableSpec[], functions: SqliteFunctionsModule | null): Promise<{ target: FixtureTarget; drop: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), 'sl-conformance-'));
  const file = 'fixture.sqlite';
  const db = new Database(path.join(root, file));
  try {
    for (const spec of specs) {
      db.exec(createTableSql('sqlite', spec));
      const insert = db.transaction(() => {
        for (const b of batches(spec, 'sqlite')) db.prepare(b.sql).run(...b.params);
      });
      insert();
    }
  } finally {
    db.close();
  }
  const connector = new SqliteConnector({ kind: 'sqlite', file }, DEFAULT_POOL_OPTIONS, { root, functions });
  const snapshot = async (): Promise<string> => {
    const c = new Database(path.join(root, file), { readonly: true });
    try {
      const tables = (c.prepare("SELECT type || ':' || name AS n FROM sqlite_schema ORDER BY 1").all() as { n: string }[]).map((r) => r.n);
      return digest(tables, (t) => {
        const [type, name = ''] = t.split(/:(.*)/s);
        if (type !== 'table') return [];
        return c.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}" ORDER BY 1`).raw(true).all() as unknown[][];
      });
    } finally {
      c.close();
    }
  };
  return {
    target: { dialect: 'sqlite', connector, columns: await introspected(connector), snapshot },
    drop: async () => {
      await connector.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * Which databases can run here. Under CI=true a missing server throws (through `hasService`):
 * a suite is never skipped there. Locally it is left out with a warning; SQLite always runs.
 */
export async function availableDialects(): Promise<RunDialect[]> {
  const [pgUp, mysqlUp] = await Promise.all([hasService('postgres'), hasService('mariadb')]);
  return [...(pgUp ? (['postgres'] as const) : []), ...(mysqlUp ? (['mysql'] as const) : []), 'sqlite'];
}

/** The fixture loaded into each of the given databases. */
export async function openFixtureDatabases(dialects: readonly RunDialect[], functions: SqliteFunctionsModule | null): Promise<FixtureDatabases> {
  const specs = tableSpecs();
  const pgUp = dialects.includes('postgres');
  const mysqlUp = dialects.includes('mysql');
  const settled = await Promise.allSettled([
    pgUp ? postgresTarget(specs) : null,
    mysqlUp ? mysqlTarget(specs) : null,
    sqliteTarget(specs, functions),
  ]);
  const opened = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await Promise.all(opened.map((o) => o?.drop().catch(() => undefined)));
    throw failure.reason;
  }
  const present = opened.filter((o): o is NonNullable<typeof o> => o !== null);
  return {
    targets: present.map((o) => o.target),
    close: async () => {
      await Promise.all(present.map((o) => o.drop()));
    },
  };
}
