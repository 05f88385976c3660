import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../schema/database';
import type { WarehouseColumn, WarehouseValue } from '../../../schema/domain/warehouse';
import { warehouseSchemaOf } from '../../../schema/domain/warehouse';
import { createPgDatabase, hasService, type TempDatabase } from '../../../testkit/services';
import { createWarehouse, WarehouseError, type Warehouse } from '..';

async function* batches(...chunks: WarehouseValue[][][]): AsyncIterable<WarehouseValue[][]> {
  for (const c of chunks) yield c;
}

async function* failingAfter(rows: WarehouseValue[][]): AsyncIterable<WarehouseValue[][]> {
  yield rows;
  throw new Error('line 3, column 2 ("amount"): "x" is not a number');
}

async function readAll(wh: Warehouse, org: string, table: string): Promise<unknown[][]> {
  const out: unknown[][] = [];
  const sql = `SELECT * FROM "${warehouseSchemaOf(org)}"."${table}" ORDER BY 1`;
  for await (const chunk of wh.connectorFor(org).execute(sql, [])) out.push(...chunk);
  return out;
}

const columns: WarehouseColumn[] = [
  { name: 'region', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'price', type: 'double' },
  { name: 'paid', type: 'boolean' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'timestamptz' },
];

const row = (r: string, a: number): WarehouseValue[] => [r, a, a / 2, a % 2 === 0, '2024-03-01', '2024-03-01T10:00:00.000Z'];

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`warehouse on ${backend}`, () => {
    let database: Database;
    let temp: TempDatabase | undefined;
    let wh: Warehouse;
    const orgA = randomUUID();
    const orgB = randomUUID();

    beforeAll(async () => {
      if (backend === 'postgres') {
        if (!(await hasService('postgres'))) return;
        temp = await createPgDatabase('sl_wh');
        database = await openDatabase({ kind: 'postgres', url: temp.url });
      } else {
        database = await openDatabase({ kind: 'pglite', dataDir: null });
      }
      wh = createWarehouse(database.raw);
    });

    afterAll(async () => {
      await wh?.close();
      await database?.close();
      await temp?.drop();
    });

    it('replaces a table atomically and queries it back', async () => {
      const r = await wh.load({ organizationId: orgA, table: 'sales', columns, rows: batches([row('EU', 1), row('US', 2)], [row('ZZ "quoted", comma', 3), ['', null, null, null, null, null]]), mode: 'replace' });
      expect(r.rowsWritten).toBe(4);
      const rows = await readAll(wh, orgA, 'sales');
      expect(rows.map((x) => x[0])).toEqual(['', 'EU', 'US', 'ZZ "quoted", comma']);
      expect(rows[0]!.slice(1)).toEqual([null, null, null, null, null]);
      expect(rows.find((x) => x[0] === 'US')!.slice(1, 5)).toEqual(['2', '1', 't', '2024-03-01']);

      await wh.load({ organizationId: orgA, table: 'sales', columns, rows: batches([row('ONLY', 9)]), mode: 'replace' });
      expect((await readAll(wh, orgA, 'sales')).map((x) => x[0])).toEqual(['ONLY']);
    });

    it('appends, and refuses rows whose columns differ', async () => {
      await wh.load({ organizationId: orgA, table: 'sales', columns, rows: batches([row('MORE', 10)]), mode: 'append' });
      expect((await readAll(wh, orgA, 'sales')).map((x) => x[0])).toEqual(['MORE', 'ONLY']);
      const other = columns.slice(0, 2);
      await expect(wh.load({ organizationId: orgA, table: 'sales', columns: other, rows: batches([['x', 1]]), mode: 'append' })).rejects.toMatchObject({
        code: 'COLUMNS_MISMATCH',
      });
    });

    it('a load that fails half-way leaves the previous table and no staging table', async () => {
      for (const mode of ['replace', 'append'] as const) {
        const err = await wh
          .load({ organizationId: orgA, table: 'sales', columns, rows: failingAfter([row('HALF', 1), row('HALF', 2)]), mode })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WarehouseError);
        expect((err as Error).message).toContain('line 3, column 2');
      }
      expect((await readAll(wh, orgA, 'sales')).map((x) => x[0])).toEqual(['MORE', 'ONLY']);
      expect((await wh.listTables(orgA)).map((t) => t.name)).toEqual(['sales']);
    });

    it('a cancelled load leaves the previous table', async () => {
      const controller = new AbortController();
      async function* slow(): AsyncIterable<WarehouseValue[][]> {
        yield [row('C', 1)];
        controller.abort();
        yield [row('C', 2)];
      }
      await expect(wh.load({ organizationId: orgA, table: 'sales', columns, rows: slow(), mode: 'replace', signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
      expect((await readAll(wh, orgA, 'sales')).map((x) => x[0])).toEqual(['MORE', 'ONLY']);
    });

    it("an organization's connector lists only its own tables", async () => {
      await wh.load({ organizationId: orgB, table: 'secret', columns: columns.slice(0, 1), rows: batches([['b-only']]), mode: 'replace' });
      const a = await wh.connectorFor(orgA).introspect();
      expect(a.tables.map((t) => t.name)).toEqual(['sales']);
      expect(a.tables[0]!.schema).toBe(warehouseSchemaOf(orgA));
      expect(a.tables[0]!.columns.map((c) => c.type)).toEqual(['string', 'number', 'number', 'boolean', 'date', 'timestamp']);
      const b = await wh.connectorFor(orgB).introspect();
      expect(b.tables.map((t) => t.name)).toEqual(['secret']);
      await expect(wh.connectorFor(orgA).describeQuery(`SELECT * FROM "${warehouseSchemaOf(orgB)}".secret`)).rejects.toThrow(/free SQL/);
    });

    it('refuses bad table names with a clear error', async () => {
      await expect(wh.load({ organizationId: orgA, table: 'x"; DROP TABLE y; --', columns, rows: batches(), mode: 'replace' })).rejects.toMatchObject({ code: 'BAD_TABLE' });
      await expect(wh.load({ organizationId: orgA, table: '_load_x', columns, rows: batches(), mode: 'replace' })).rejects.toMatchObject({ code: 'BAD_TABLE' });
    });
  });
}
