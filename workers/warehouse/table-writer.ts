/**
 * Loads into a staging table first and makes it visible in one short transaction: readers
 * see the old table or the new one, never half of a load, and a failure costs only the
 * staging table.
 */
import { randomBytes } from 'node:crypto';
import { warehouseNameSchema, warehouseSchemaOf, type WarehouseColumn } from '../../schema/domain/warehouse';
import { WarehouseError } from './errors';
import { qualified, quoteIdent, SQL_TYPES, uniqueColumnNames } from './identifiers';
import type { SqlSession } from './sql-session';
import type { LoadRequest, LoadResult, WarehouseTable } from './warehouse';
import { readTables } from './table-listing';

export const STAGING_PREFIX = '_load_';

export function checkTableName(table: string): string {
  const parsed = warehouseNameSchema.safeParse(table);
  if (!parsed.success) throw new WarehouseError('BAD_TABLE', `table name "${table}" ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  if (parsed.data.startsWith(STAGING_PREFIX)) throw new WarehouseError('BAD_TABLE', `table names may not start with ${STAGING_PREFIX}`);
  return parsed.data;
}

export async function ensureSchema(session: SqlSession, schema: string): Promise<void> {
  try {
    await session.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  } catch (err) {
    // Two first loads of one organization at once: the loser sees the winner's schema.
    if ((err as { code?: string }).code !== '23505' && (err as { code?: string }).code !== '42P06') throw err;
  }
}

function sameColumns(a: readonly WarehouseColumn[], b: readonly WarehouseColumn[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.type === b[i]!.type);
}

export async function loadTable(open: () => Promise<SqlSession>, request: LoadRequest): Promise<LoadResult> {
  const table = checkTableName(request.table);
  if (request.columns.length === 0) throw new WarehouseError('BAD_TABLE', 'a table needs at least one column');
  const schema = warehouseSchemaOf(request.organizationId);
  const names = uniqueColumnNames(request.columns.map((c) => c.name));
  const columns = request.columns.map((c, i) => ({ name: names[i]!, type: c.type }));
  const staging = `${STAGING_PREFIX}${randomBytes(6).toString('hex')}`;
  const target = qualified(schema, table);
  const stagingRef = qualified(schema, staging);

  const session = await open();
  let failed = false;
  try {
    await ensureSchema(session, schema);
    if (request.mode === 'append') {
      const existing = (await readTables(session, schema, table))[0];
      if (existing && !sameColumns(existing.columns, columns)) {
        throw new WarehouseError('COLUMNS_MISMATCH', `cannot append to "${table}": its columns are ${describe(existing)}, the new rows have ${describe({ name: table, columns })}`);
      }
    }
    const ddl = columns.map((c) => `${quoteIdent(c.name)} ${SQL_TYPES[c.type]}`).join(', ');
    await session.query(`CREATE TABLE ${stagingRef} (${ddl})`);
    let rowsWritten = 0;
    try {
      rowsWritten = await session.writeRows(stagingRef, names, request.rows, (n) => request.onProgress?.(n), request.signal);
      if (request.signal?.aborted) throw new WarehouseError('CANCELLED', 'the load was cancelled');
      await session.transaction(async (query) => {
        if (request.mode === 'replace') {
          await query(`DROP TABLE IF EXISTS ${target}`);
          await query(`ALTER TABLE ${stagingRef} RENAME TO ${quoteIdent(table)}`);
        } else {
          await query(`CREATE TABLE IF NOT EXISTS ${target} (${ddl})`);
          await query(`INSERT INTO ${target} SELECT * FROM ${stagingRef}`);
          await query(`DROP TABLE ${stagingRef}`);
        }
      });
    } catch (err) {
      await session.query(`DROP TABLE IF EXISTS ${stagingRef}`).catch(() => (failed = true));
      throw err;
    }
    const final = (await readTables(session, schema, table))[0];
    return { rowsWritten, columns: final?.columns ?? columns };
  } catch (err) {
    if (err instanceof WarehouseError) throw err;
    failed = true;
    throw new WarehouseError('LOAD_FAILED', `loading "${table}" failed: ${(err as Error).message}`);
  } finally {
    session.release(failed);
  }
}

function describe(t: WarehouseTable): string {
  return t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
}
