import type { DatasourceConnection, DatasourceKind, DatasourceSecrets } from '../../schema/domain/datasource';
import { ConnectorError } from '../connectors';

/** The connector settings of a datasource: its stored fields plus its opened secrets. */
export function connectionSettingsOf(kind: DatasourceKind, connection: DatasourceConnection, secrets: DatasourceSecrets): unknown {
  switch (kind) {
    case 'postgres':
    case 'redshift':
    case 'mysql':
      return { kind, ...connection, password: secrets.password ?? '' };
    case 'sqlite':
      return { kind, ...connection };
    case 'warehouse':
    case 'file':
    case 'rest':
      throw new ConnectorError('INVALID_SETTINGS', `a ${kind} datasource is read from the warehouse, not connected to directly`);
  }
}
