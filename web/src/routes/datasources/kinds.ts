import type { DatasourceKind } from '$lib/api/datasources';

export const KIND_LABELS: Record<string, string> = {
  POSTGRES: 'PostgreSQL',
  MYSQL: 'MySQL / MariaDB',
  SQLITE: 'SQLite',
  REDSHIFT: 'Redshift',
  FILE: 'File',
  REST: 'REST API',
  WAREHOUSE: 'Warehouse',
};

/** The kinds a person can connect from this page, with their usual port. */
export const CONNECTABLE: { kind: DatasourceKind; label: string; port: number | null }[] = [
  { kind: 'POSTGRES', label: 'PostgreSQL', port: 5432 },
  { kind: 'MYSQL', label: 'MySQL / MariaDB', port: 3306 },
  { kind: 'SQLITE', label: 'SQLite', port: null },
];
