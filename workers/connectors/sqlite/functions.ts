/**
 * The compiler's SQLite functions, as the module each SQLite child process imports: function
 * values cannot be sent to another process, a module's location can.
 */
import type { SqliteFunctionsModule } from './sqlite-protocol';

export { sqliteFunctions } from '../../../query/index';

export const COMPILER_SQLITE_FUNCTIONS: SqliteFunctionsModule = {
  moduleUrl: import.meta.url,
  exportName: 'sqliteFunctions',
};
