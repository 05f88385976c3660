import type { Dialect } from '../../query/types';
import type { DatasourceKind } from './datasource';

/** The SQL dialect a datasource's queries compile to; warehouse-loaded kinds live in PostgreSQL. */
export function dialectOf(kind: DatasourceKind): Dialect {
  switch (kind) {
    case 'postgres':
    case 'warehouse':
    case 'file':
    case 'rest':
      return 'postgres';
    case 'redshift':
      return 'redshift';
    case 'mysql':
      return 'mysql';
    case 'sqlite':
      return 'sqlite';
  }
}
