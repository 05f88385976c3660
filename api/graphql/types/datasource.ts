import { z } from 'zod';
import {
  connectionSchemaFor,
  DATASOURCE_KINDS,
  datasourceSourceSchema,
  formulaSchema,
  isWarehouseKind,
  SSL_MODES,
  type DatasourceConnection,
  type DatasourceKind,
  type DatasourceSecrets,
} from '../../../schema/domain/datasource';
import { datasources } from '../../../schema/tables';
import { warehouseSchemaOf } from '../../../schema/domain/warehouse';
import { builder } from '../builder';
import { upperCaseEnum } from '../enums';
import { orgCollection } from '../collection';
import { principalOf, type Context } from '../context';
import { badInput, notFound } from '../errors';
import { check } from '../validate';

type DatasourceRow = typeof datasources.$inferSelect;

export const DatasourceKindEnum = upperCaseEnum('DatasourceKind', DATASOURCE_KINDS);

const SslModeEnum = builder.enumType('SslMode', {
  values: { DISABLE: { value: 'disable' }, REQUIRE: { value: 'require' }, VERIFY_FULL: { value: 'verify-full' } } as const,
});

export const datasourceCollection = orgCollection<typeof datasources, DatasourceRow>({
  typename: 'Datasource',
  table: datasources,
  list: 'datasources',
  single: 'datasource',
  description: 'Datasources of the organization, newest first.',
});
export const DatasourceRef = datasourceCollection.ref;

const ConnectionRef = builder.objectRef<DatasourceConnection>('DatasourceConnection').implement({
  description: 'Connection fields, without secrets: a password is write-only.',
  fields: (t) => {
    const field = <K extends string>(key: K) => (c: DatasourceConnection) => (key in c ? (c as Record<K, unknown>)[key] : null);
    return {
      host: t.string({ nullable: true, resolve: (c) => field('host')(c) as string | null }),
      port: t.int({ nullable: true, resolve: (c) => field('port')(c) as number | null }),
      database: t.string({ nullable: true, resolve: (c) => field('database')(c) as string | null }),
      user: t.string({ nullable: true, resolve: (c) => field('user')(c) as string | null }),
      sslMode: t.field({ type: SslModeEnum, nullable: true, resolve: (c) => field('sslMode')(c) as (typeof SSL_MODES)[number] | null }),
      file: t.string({ nullable: true, resolve: (c) => field('file')(c) as string | null }),
      table: t.string({ nullable: true, description: 'Warehouse-backed kinds: the table in the organization warehouse.', resolve: (c) => field('table')(c) as string | null }),
      url: t.string({ nullable: true, description: 'REST sources: where rows are fetched from.', resolve: (c) => field('url')(c) as string | null }),
    };
  },
});

const FormulaRef = builder.objectRef<{ name: string; expression: string }>('Formula').implement({
  fields: (t) => ({ name: t.exposeString('name'), expression: t.exposeString('expression') }),
});

DatasourceRef.implement({
  authScopes: { member: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.field({ type: DatasourceKindEnum, resolve: (d) => d.kind }),
    connection: t.field({ type: ConnectionRef, resolve: (d) => d.connection }),
    hasPassword: t.boolean({ resolve: (d) => d.secrets !== null }),
    source: t.field({ type: 'JSON', description: '`{kind: "table", schema?, table}` or `{kind: "sql", sql}`.', resolve: (d) => d.source }),
    formulas: t.field({ type: [FormulaRef], resolve: (d) => d.formulas }),
    cacheTtlSeconds: t.exposeInt('cacheTtlSeconds'),
    dataVersion: t.exposeInt('dataVersion', { description: 'Changes whenever the data behind it changes.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const ConnectionInput = builder.inputType('DatasourceConnectionInput', {
  fields: (t) => ({
    host: t.string(),
    port: t.int(),
    database: t.string(),
    user: t.string(),
    password: t.string({ description: 'Write-only. On update, omit to keep the stored one, "" to remove it.' }),
    sslMode: t.field({ type: SslModeEnum }),
    caCertificate: t.string({ description: 'PEM text for VERIFY_FULL.' }),
    file: t.string({ description: 'SQLite: a file name inside the server data folder.' }),
  }),
});

const SourceInput = builder.inputType('DatasourceSourceInput', {
  description: 'Either a table (with an optional schema) or a custom SQL SELECT.',
  fields: (t) => ({ schema: t.string(), table: t.string(), sql: t.string() }),
});

const FormulaInput = builder.inputType('FormulaInput', {
  fields: (t) => ({ name: t.string({ required: true }), expression: t.string({ required: true }) }),
});

const CreateDatasourceInput = builder.inputType('CreateDatasourceInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: DatasourceKindEnum, required: true }),
    connection: t.field({ type: ConnectionInput }),
    source: t.field({ type: SourceInput, required: true }),
    formulas: t.field({ type: [FormulaInput] }),
    cacheTtlSeconds: t.int(),
  }),
});

const UpdateDatasourceInput = builder.inputType('UpdateDatasourceInput', {
  fields: (t) => ({
    name: t.string(),
    connection: t.field({ type: ConnectionInput }),
    source: t.field({ type: SourceInput }),
    formulas: t.field({ type: [FormulaInput] }),
    cacheTtlSeconds: t.int(),
  }),
});

type ConnectionInputShape = { password?: string | null } & Record<string, unknown>;
type SourceInputShape = { schema?: string | null; table?: string | null; sql?: string | null };

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);
const ttlSchema = z.number().int().min(0).max(30 * 86_400);

function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

export function parseConnection(kind: DatasourceKind, input: ConnectionInputShape | null | undefined, field: string) {
  const { password, caCertificate, ...rest } = input ?? {};
  if (caCertificate != null) rest['ca'] = caCertificate;
  const connection = check(connectionSchemaFor(kind), withoutNulls(rest), field);
  return { connection, password };
}

function parseSource(input: SourceInputShape, field: string) {
  const hasTable = input.table != null;
  const hasSql = input.sql != null;
  if (hasTable === hasSql) throw badInput('give either table or sql', field);
  const source = hasSql ? { kind: 'sql' as const, sql: input.sql } : { kind: 'table' as const, table: input.table, ...(input.schema ? { schema: input.schema } : {}) };
  return check(datasourceSourceSchema, source, field);
}

function parseFormulas(input: readonly { name: string; expression: string }[], field: string) {
  const formulas = check(z.array(formulaSchema).max(500), input, field);
  const seen = new Set<string>();
  formulas.forEach((f, i) => {
    if (seen.has(f.name)) throw badInput(`the formula name "${f.name}" is used twice`, `${field}.${i}.name`);
    seen.add(f.name);
  });
  return formulas;
}

/** Warehouse tables live in the organization's own schema: never a schema a user names. */
function warehouseSource(organizationId: string, connection: DatasourceConnection) {
  return { kind: 'table' as const, schema: warehouseSchemaOf(organizationId), table: (connection as { table: string }).table };
}

function sealSecrets(ctx: Context, secrets: DatasourceSecrets): string | null {
  return secrets.password ? ctx.services.secrets.seal(secrets) : null;
}

builder.mutationFields((t) => ({
  createDatasource: t.field({
    type: DatasourceRef,
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateDatasourceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const p = principalOf(ctx);
      if (input.kind === 'file' || input.kind === 'rest') throw badInput(`create ${input.kind} datasources with ${input.kind === 'file' ? 'createFileDatasource' : 'createRestDatasource'}`, 'input.kind');
      const { connection, password } = parseConnection(input.kind, input.connection as ConnectionInputShape, 'input.connection');
      return datasourceCollection.data.insert(ctx.db, {
        organizationId: p.organizationId,
        name: check(nameSchema, input.name, 'input.name'),
        kind: input.kind,
        connection,
        secrets: sealSecrets(ctx, { password: password ?? undefined }),
        source: input.kind === 'warehouse' ? warehouseSource(p.organizationId, connection) : parseSource(input.source, 'input.source'),
        formulas: parseFormulas(input.formulas ?? [], 'input.formulas'),
        cacheTtlSeconds: input.cacheTtlSeconds == null ? undefined : check(ttlSchema, input.cacheTtlSeconds, 'input.cacheTtlSeconds'),
        createdBy: p.userId,
      }) as Promise<DatasourceRow>;
    },
  }),
  updateDatasource: t.field({
    type: DatasourceRef,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateDatasourceInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const current = await datasourceCollection.mustGet(ctx, String(id));
      const patch: Partial<typeof datasources.$inferInsert> = {};
      let dataChanged = false;
      if (input.name != null) patch.name = check(nameSchema, input.name, 'input.name');
      if (input.connection != null) {
        const { connection, password } = parseConnection(current.kind, { ...current.connection, ...withoutNulls(input.connection) }, 'input.connection');
        patch.connection = connection;
        if (password !== undefined && password !== null) patch.secrets = sealSecrets(ctx, { password: password || undefined });
        dataChanged = true;
      }
      if (isWarehouseKind(current.kind) && (input.source != null || (input.connection != null && current.kind !== 'warehouse'))) {
        throw badInput('the source of a warehouse-backed datasource is its table: change the table (warehouse) or load new data', input.source != null ? 'input.source' : 'input.connection');
      }
      if (current.kind === 'warehouse' && patch.connection) patch.source = warehouseSource(current.organizationId, patch.connection);
      if (input.source != null) {
        patch.source = parseSource(input.source, 'input.source');
        dataChanged = true;
      }
      if (input.formulas != null) {
        patch.formulas = parseFormulas(input.formulas, 'input.formulas');
        dataChanged = true;
      }
      if (input.cacheTtlSeconds != null) patch.cacheTtlSeconds = check(ttlSchema, input.cacheTtlSeconds, 'input.cacheTtlSeconds');
      // Anything that can change results invalidates every cached result of this datasource.
      if (dataChanged) patch.dataVersion = current.dataVersion + 1;
      const row = await datasourceCollection.patch(ctx, current, patch);
      if (!row) throw notFound('Datasource');
      if (dataChanged) await ctx.services.queryJobs.announceChange({ datasourceId: row.id, dataVersion: row.dataVersion });
      return row;
    },
  }),
  deleteDatasource: t.field({
    type: DatasourceRef,
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const row = await datasourceCollection.remove(ctx, String(id));
      await ctx.services.queryJobs.announceChange({ datasourceId: row.id, dataVersion: row.dataVersion + 1 });
      return row;
    },
  }),
}));
