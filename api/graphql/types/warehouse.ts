/**
 * Getting data into the warehouse through the API: CSV uploads (streamed to storage, loaded by
 * a worker), REST/JSON sources (fetched by a worker through the address guard), and tables
 * written directly by scripts and clients. Every load is a run with a history and a live log.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { CSV_DELIMITERS, CSV_ENCODINGS, type FileConnection } from '../../../schema/domain/datasource';
import { TERMINAL_RUN_STATUSES } from '../../../schema/domain/run';
import { runTopic } from '../../../schema/jobs/run-job';
import { warehouseColumnSchema, warehouseNameSchema, warehouseSchemaOf, WAREHOUSE_COLUMN_TYPES, type WarehouseColumnType } from '../../../schema/domain/warehouse';
import { datasources, files } from '../../../schema/tables';
import type { RunRow } from '../../../infra/jobs/run-journal';
import type { StagedUpload } from '../../server/uploads/staged-upload';
import { builder } from '../builder';
import { upperCaseEnum } from '../enums';
import { principalOf, type Context } from '../context';
import { apiError, badInput, notFound } from '../errors';
import { expectId } from '../ids';
import { checkSchedule, checkTimezone } from '../schedule';
import { check } from '../validate';
import { datasourceCollection, DatasourceRef } from './datasource';
import { LoadModeEnum, warehouseDatasourceFor } from './dataflow';
import { fileCollection } from './file';
import { RunRef } from './run';

type DatasourceRow = typeof datasources.$inferSelect;

const ColumnTypeEnum = upperCaseEnum('WarehouseColumnType', WAREHOUSE_COLUMN_TYPES);

const ColumnInput = builder.inputType('WarehouseColumnInput', {
  fields: (t) => ({ name: t.string({ required: true }), type: t.field({ type: ColumnTypeEnum, required: true }) }),
});

const DatasourceLoadRef = builder.objectRef<{ datasource: DatasourceRow; run: RunRow }>('DatasourceLoad').implement({
  fields: (t) => ({
    datasource: t.field({ type: DatasourceRef, resolve: (p) => p.datasource }),
    run: t.field({ type: RunRef, resolve: (p) => p.run }),
  }),
});

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);

/** A table name from a datasource name: readable in the warehouse, unique by the id's tail. */
function tableNameFor(name: string, id: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'data';
  return `${/^[a-z_]/.test(slug) ? slug : `t_${slug}`}_${id.replace(/-/g, '').slice(-8)}`;
}

const csvSettings = {
  delimiter: z.enum(CSV_DELIMITERS).optional(),
  encoding: z.enum(CSV_ENCODINGS).optional(),
};

async function storeUpload(ctx: Context, upload: StagedUpload, name: string | null | undefined) {
  const p = principalOf(ctx);
  const id = uuidv7();
  const storageKey = `orgs/${p.organizationId}/files/${id}`;
  const stored = await ctx.services.storage.put(storageKey, createReadStream(upload.path), { contentType: upload.mimetype });
  return fileCollection.data.insert(ctx.db, {
    id,
    organizationId: p.organizationId,
    name: check(nameSchema, name ?? upload.filename ?? 'upload', 'name'),
    contentType: upload.mimetype || 'application/octet-stream',
    size: stored.size,
    sha256: stored.sha256,
    storageKey,
    createdBy: p.userId,
  }) as Promise<typeof files.$inferSelect>;
}

async function fileOf(ctx: Context, globalId: string, field: string) {
  const id = expectId(globalId, 'File', field);
  const [row] = await fileCollection.data.byIds(ctx.db, principalOf(ctx).organizationId, [id]);
  // Another organization's file looks exactly like a missing one.
  if (!row) throw notFound('File');
  return row;
}

function startRun(ctx: Context, datasourceId: string, params: RunRow['params']) {
  const p = principalOf(ctx);
  return ctx.services.runs.start({ organizationId: p.organizationId, kind: params.kind, subjectId: datasourceId, params, requestedBy: p.userId });
}

type CsvArgs = { delimiter?: string | null; encoding?: string | null; hasHeader?: boolean | null; columns?: readonly { name: string; type: WarehouseColumnType }[] | null };

function csvOverrides(input: CsvArgs, field: string): Partial<FileConnection> {
  const out: Partial<FileConnection> = {};
  if (input.delimiter != null) out.delimiter = check(csvSettings.delimiter, input.delimiter === '\\t' ? '\t' : input.delimiter, `${field}.delimiter`);
  if (input.encoding != null) out.encoding = check(csvSettings.encoding, input.encoding.toLowerCase(), `${field}.encoding`);
  if (input.hasHeader != null) out.hasHeader = input.hasHeader;
  if (input.columns != null) out.columns = check(z.array(warehouseColumnSchema).min(1).max(1600), input.columns, `${field}.columns`);
  return out;
}

const FileDatasourceInput = builder.inputType('FileDatasourceInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    fileId: t.id({ required: true, description: 'A CSV file sent with uploadFile.' }),
    delimiter: t.string({ description: 'One of , ; | or \\t; detected when omitted.' }),
    encoding: t.string({ description: 'utf-8, utf-16le, utf-16be or windows-1252; detected when omitted.' }),
    hasHeader: t.boolean({ description: 'Detected when omitted.' }),
    columns: t.field({ type: [ColumnInput], description: 'Column names and types, one per field, overriding the detected ones.' }),
  }),
});

const RestDatasourceInput = builder.inputType('RestDatasourceInput', {
  fields: (t) => ({
    name: t.string(),
    url: t.string({ description: 'http(s) only; private and loopback addresses are refused unless an administrator allows them.' }),
    method: t.string({ description: 'GET (default) or POST.' }),
    headers: t.field({ type: 'JSON', description: 'Plain headers, as an object.' }),
    secretHeaders: t.field({ type: 'JSON', description: 'Headers stored encrypted (Authorization, API keys); write-only.' }),
    body: t.string({ description: 'A JSON body for POST.' }),
    rowsPath: t.string({ description: 'Where the rows are in the response, e.g. data.items; "" for the whole body.' }),
    pagination: t.field({ type: 'JSON', description: '{kind: none|page|offset|cursor|link, …}' }),
    maxPages: t.int(),
    refreshSchedule: t.string({ description: 'A cron expression; "" for manual refreshes only.' }),
    timezone: t.string(),
  }),
});

type RestArgs = {
  name?: string | null;
  url?: string | null;
  method?: string | null;
  headers?: unknown;
  secretHeaders?: unknown;
  body?: string | null;
  rowsPath?: string | null;
  pagination?: unknown;
  maxPages?: number | null;
  refreshSchedule?: string | null;
  timezone?: string | null;
};

const restShape = z
  .object({
    url: z
      .string()
      .trim()
      .max(4096)
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL'),
    method: z.enum(['GET', 'POST']).optional(),
    headers: z.record(z.string().max(256), z.string().max(8192)).optional(),
    body: z.string().max(1_000_000).optional(),
    rowsPath: z.string().max(512).optional(),
    pagination: z.object({ kind: z.enum(['none', 'page', 'offset', 'cursor', 'link']) }).passthrough().optional(),
    maxPages: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

function restConnection(input: RestArgs, current: Record<string, unknown> | null, field: string) {
  const merged: Record<string, unknown> = { ...(current ?? {}) };
  delete merged['table'];
  for (const key of ['url', 'method', 'headers', 'body', 'rowsPath', 'pagination', 'maxPages'] as const) {
    if (input[key] != null) merged[key] = input[key];
  }
  return check(restShape, merged, field);
}

builder.mutationFields((t) => ({
  uploadFile: t.field({
    type: fileCollection.ref,
    authScopes: { editor: true },
    description: 'Stores a file sent with the GraphQL multipart request spec (streamed; up to UPLOAD_MAX_BYTES).',
    args: { file: t.arg({ type: 'Upload', required: true }), name: t.arg.string() },
    resolve: (_root, { file, name }, ctx) => storeUpload(ctx, file, name),
  }),
  createFileDatasource: t.field({
    type: DatasourceLoadRef,
    authScopes: { editor: true },
    description: 'A datasource over an uploaded CSV: its types are detected (or given), and it is loaded into the warehouse by a run.',
    args: { input: t.arg({ type: FileDatasourceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      const file = await fileOf(ctx, String(input.fileId), 'input.fileId');
      const id = uuidv7();
      const table = tableNameFor(input.name, id);
      const connection: FileConnection = { table, ...csvOverrides(input, 'input'), ...(input.columns ? { fileId: file.id } : {}) };
      if (input.delimiter != null || input.encoding != null || input.hasHeader != null) connection.fileId = file.id;
      const datasource = (await datasourceCollection.data.insert(ctx.db, {
        id,
        organizationId: p.organizationId,
        name: check(nameSchema, input.name, 'input.name'),
        kind: 'file',
        connection,
        source: { kind: 'table', schema: warehouseSchemaOf(p.organizationId), table },
        formulas: [],
        createdBy: p.userId,
      })) as DatasourceRow;
      const run = await startRun(ctx, datasource.id, { kind: 'file_load', fileId: file.id, mode: 'replace' });
      return { datasource, run };
    },
  }),
  loadFile: t.field({
    type: RunRef,
    authScopes: { editor: true },
    description: "Loads a CSV into a file datasource's table again: a new file (replace or append), or new settings and column types for the same one.",
    args: {
      datasourceId: t.arg.id({ required: true }),
      fileId: t.arg.id({ description: 'Default: the file loaded last.' }),
      mode: t.arg({ type: LoadModeEnum }),
      delimiter: t.arg.string(),
      encoding: t.arg.string(),
      hasHeader: t.arg.boolean(),
      columns: t.arg({ type: [ColumnInput] }),
    },
    resolve: async (_root, args, ctx) => {
      const ds = await datasourceCollection.mustGet(ctx, String(args.datasourceId));
      if (ds.kind !== 'file') throw badInput('is not a file datasource', 'datasourceId');
      const conn = ds.connection as FileConnection;
      const fileId = args.fileId != null ? (await fileOf(ctx, String(args.fileId), 'fileId')).id : conn.fileId;
      if (!fileId) throw badInput('give the file to load', 'fileId');
      const overrides = csvOverrides(args, 'args');
      // A different file is detected afresh unless settings come with it.
      const next: FileConnection = fileId === conn.fileId ? { ...conn, ...overrides } : { table: conn.table, ...overrides, ...(Object.keys(overrides).length ? { fileId } : {}) };
      await datasourceCollection.patch(ctx, ds, { connection: next });
      return startRun(ctx, ds.id, { kind: 'file_load', fileId, mode: args.mode ?? 'replace' });
    },
  }),
  createRestDatasource: t.field({
    type: DatasourceLoadRef,
    authScopes: { editor: true },
    description: 'A REST/JSON source loaded into the warehouse now and on its refresh schedule.',
    args: { input: t.arg({ type: RestDatasourceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      if (input.url == null) throw badInput('is required', 'input.url');
      const id = uuidv7();
      const name = check(nameSchema, input.name ?? '', 'input.name');
      const table = tableNameFor(name, id);
      const connection = { table, ...restConnection(input, null, 'input') };
      const secretHeaders = input.secretHeaders == null ? undefined : check(z.record(z.string().max(256), z.string().max(8192)), input.secretHeaders, 'input.secretHeaders');
      const timezone = input.timezone != null ? checkTimezone(input.timezone, 'input.timezone') : 'UTC';
      const datasource = (await datasourceCollection.data.insert(ctx.db, {
        id,
        organizationId: p.organizationId,
        name,
        kind: 'rest',
        connection,
        secrets: secretHeaders && Object.keys(secretHeaders).length ? ctx.services.secrets.seal({ headers: secretHeaders }) : null,
        source: { kind: 'table', schema: warehouseSchemaOf(p.organizationId), table },
        formulas: [],
        refreshSchedule: input.refreshSchedule != null ? checkSchedule(input.refreshSchedule, timezone, 'input.refreshSchedule') : null,
        timezone,
        lastFiredAt: new Date(),
        createdBy: p.userId,
      })) as DatasourceRow;
      const run = await startRun(ctx, datasource.id, { kind: 'rest_refresh' });
      return { datasource, run };
    },
  }),
  updateRestDatasource: t.field({
    type: DatasourceLoadRef,
    authScopes: { editor: true },
    description: 'Changes a REST source (fields left out stay; secretHeaders replace the stored ones when given) and loads it again.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: RestDatasourceInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await datasourceCollection.mustGet(ctx, String(id));
      if (current.kind !== 'rest') throw badInput('is not a REST datasource', 'id');
      const { table } = current.connection as { table: string };
      const patch: Partial<typeof datasources.$inferInsert> = { connection: { table, ...restConnection(input, current.connection as Record<string, unknown>, 'input') } };
      if (input.name != null) patch.name = check(nameSchema, input.name, 'input.name');
      if (input.secretHeaders != null) {
        const headers = check(z.record(z.string().max(256), z.string().max(8192)), input.secretHeaders, 'input.secretHeaders');
        patch.secrets = Object.keys(headers).length ? ctx.services.secrets.seal({ headers }) : null;
      }
      const timezone = input.timezone != null ? checkTimezone(input.timezone, 'input.timezone') : current.timezone;
      if (input.timezone != null) patch.timezone = timezone;
      if (input.refreshSchedule != null) {
        patch.refreshSchedule = checkSchedule(input.refreshSchedule, timezone, 'input.refreshSchedule');
        patch.lastFiredAt = new Date();
      }
      const datasource = await datasourceCollection.patch(ctx, current, patch);
      if (!datasource) throw notFound('Datasource');
      const run = await startRun(ctx, datasource.id, { kind: 'rest_refresh' });
      return { datasource, run };
    },
  }),
  refreshDatasource: t.field({
    type: RunRef,
    authScopes: { editor: true },
    description: 'Fetches a REST source again, or reloads a file datasource from its last file.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const ds = await datasourceCollection.mustGet(ctx, String(id));
      if (ds.kind === 'rest') return startRun(ctx, ds.id, { kind: 'rest_refresh' });
      const fileId = ds.kind === 'file' ? (ds.connection as FileConnection).fileId : undefined;
      if (fileId) return startRun(ctx, ds.id, { kind: 'file_load', fileId, mode: 'replace' });
      throw badInput('only REST and file datasources are refreshed by the platform; others are read live', 'id');
    },
  }),
}));

const WriteTableInput = builder.inputType('WriteTableInput', {
  fields: (t) => ({
    table: t.string({ required: true, description: 'A warehouse table of the organization; created when missing.' }),
    columns: t.field({ type: [ColumnInput], required: true }),
    rows: t.field({ type: 'JSON', required: true, description: 'An array of rows, each an array of values in column order.' }),
    mode: t.field({ type: LoadModeEnum, description: 'REPLACE (default) or APPEND.' }),
  }),
});

const TableWriteRef = builder.objectRef<{ datasource: DatasourceRow; run: RunRow }>('TableWrite').implement({
  fields: (t) => ({
    datasource: t.field({ type: DatasourceRef, description: 'The warehouse datasource over the table.', resolve: (p) => p.datasource }),
    run: t.field({ type: RunRef, resolve: (p) => p.run }),
  }),
});

builder.mutationField('writeWarehouseTable', (t) =>
  t.field({
    type: TableWriteRef,
    authScopes: { editor: true },
    description: 'Writes rows into a warehouse table (scripts use it) and answers once they are in: live queries on the table then re-run.',
    args: { input: t.arg({ type: WriteTableInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      const table = check(warehouseNameSchema, input.table, 'input.table');
      const columns = check(z.array(warehouseColumnSchema).min(1).max(1600), input.columns, 'input.columns');
      const rows = check(z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).length(columns.length, `each row must have ${columns.length} values`)).max(1_000_000), input.rows, 'input.rows');
      const datasource = await warehouseDatasourceFor(ctx, table, table);
      const id = uuidv7();
      const storageKey = `orgs/${p.organizationId}/staged/${id}`;
      const lines = (function* () {
        yield JSON.stringify({ columns }) + '\n';
        for (const row of rows) yield JSON.stringify(row) + '\n';
      })();
      const stored = await ctx.services.storage.put(storageKey, Readable.from(lines));
      await fileCollection.data.insert(ctx.db, { id, organizationId: p.organizationId, name: `${table}.jsonl`, contentType: 'application/x-ndjson', size: stored.size, sha256: stored.sha256, storageKey, createdBy: p.userId });
      const run = await ctx.services.runs.start({ organizationId: p.organizationId, kind: 'table_write', subjectId: datasource.id, params: { kind: 'table_write', fileId: id, mode: input.mode ?? 'replace' }, requestedBy: p.userId });
      const ended = await waitForRun(ctx, run.id, 120_000);
      if (!ended || !TERMINAL_RUN_STATUSES.includes(ended.status)) throw apiError('CONFLICT', 'the table is still being written: follow the run', { runId: run.id });
      if (ended.status !== 'succeeded') throw badInput(ended.message ?? 'the write failed', 'input');
      return { datasource, run: ended };
    },
  }),
);

async function waitForRun(ctx: Context, runId: string, timeoutMs: number): Promise<RunRow | null> {
  let wake: () => void = () => {};
  const unsubscribe = await ctx.services.pubsub.subscribe(runTopic(runId), () => wake());
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await ctx.services.runs.get(runId);
      if (!row || TERMINAL_RUN_STATUSES.includes(row.status) || Date.now() > deadline) return row;
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 1000);
        wake = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
  } finally {
    await unsubscribe();
  }
}
