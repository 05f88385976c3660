/**
 * Every dialect, registered once. A new dialect (DuckDB, ClickHouse) is a folder with its
 * compiler and one entry here; the Record makes forgetting one a type error.
 */
import type { CompileOptions, DefaultCompiler } from '../compiler/default-compiler';
import type { Dialect } from '../types';
import { MysqlCompiler } from './mysql/mysql-compiler';
import { PostgresCompiler } from './postgres/postgres-compiler';
import { RedshiftCompiler } from './redshift/redshift-compiler';
import { SqliteCompiler } from './sqlite/sqlite-compiler';

export interface DialectSpec {
  createCompiler(options: CompileOptions): DefaultCompiler;
}

export const dialects: Record<Dialect, DialectSpec> = {
  postgres: { createCompiler: (o) => new PostgresCompiler(o) },
  redshift: { createCompiler: (o) => new RedshiftCompiler(o) },
  mysql: { createCompiler: (o) => new MysqlCompiler(o) },
  sqlite: { createCompiler: (o) => new SqliteCompiler(o) },
};
