/**
 * What an editor needs while setting a datasource up: test the connection, browse tables and
 * columns, check a formula, see the SQL a query compiles to. Database work is done by the
 * workers through `services.datasourceOps`; compiling is pure and done here.
 */
import { compileQuery, QueryError, validateFormula } from '../../../query';
import type { FieldType, SourceColumn } from '../../../query/types';
import { dialectOf } from '../../../schema/domain/dialect';
import type { OpsError, TableInfo } from '../../../schema/jobs/datasource-ops';
import type { QueryJobError } from '../../../schema/domain/query-job';
import { builder } from '../builder';
import { principalOf, type Context } from '../context';
import { ConnectionInput, datasourceCollection, DatasourceKindEnum, DatasourceRef, parseConnection } from './datasource';
import { QueryErrorRef } from './query-job';

const FieldTypeEnum = builder.enumType('FieldType', {
  values: { STRING: { value: 'string' }, NUMBER: { value: 'number' }, BOOLEAN: { value: 'boolean' }, DATE: { value: 'date' }, TIMESTAMP: { value: 'timestamp' } } as const,
});

const ColumnRef = builder.objectRef<SourceColumn>('Column').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.field({ type: FieldTypeEnum, resolve: (c) => c.type as FieldType }),
    nativeType: t.exposeString('nativeType', { description: "The database's own type name." }),
  }),
});

const TableRef = builder.objectRef<TableInfo>('Table').implement({
  fields: (t) => ({
    schema: t.exposeString('schema', { nullable: true }),
    name: t.exposeString('name'),
    kind: t.exposeString('kind', { description: '"table" or "view".' }),
    columns: t.field({ type: [ColumnRef], resolve: (x) => x.columns }),
  }),
});

/** Errors from the database side reuse the query error shape: a code and words. */
const asQueryError = (e: OpsError) => ({ code: e.code, message: e.message });

const ConnectionTestRef = builder
  .objectRef<{ ok: boolean; serverVersion: string | null; error: OpsError | null }>('ConnectionTest')
  .implement({
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      serverVersion: t.exposeString('serverVersion', { nullable: true }),
      error: t.field({ type: QueryErrorRef, nullable: true, resolve: (r) => (r.error ? asQueryError(r.error) : null) }),
    }),
  });

const TablesResultRef = builder.objectRef<{ tables: TableInfo[]; error: OpsError | null }>('TablesResult').implement({
  fields: (t) => ({
    tables: t.field({ type: [TableRef], resolve: (r) => r.tables }),
    error: t.field({ type: QueryErrorRef, nullable: true, resolve: (r) => (r.error ? asQueryError(r.error) : null) }),
  }),
});

interface FormulaField {
  name: string;
  expression: string;
  type: FieldType | null;
  aggregate: boolean | null;
  error: QueryJobError | null;
}

const FormulaFieldRef = builder.objectRef<FormulaField>('FormulaField').implement({
  description: 'A formula with its checked type, or why it does not work.',
  fields: (t) => ({
    name: t.exposeString('name'),
    expression: t.exposeString('expression'),
    type: t.field({ type: FieldTypeEnum, nullable: true, resolve: (f) => f.type }),
    aggregate: t.exposeBoolean('aggregate', { nullable: true }),
    error: t.field({ type: QueryErrorRef, nullable: true, resolve: (f) => f.error }),
  }),
});

const FieldsResultRef = builder
  .objectRef<{ columns: SourceColumn[]; formulas: FormulaField[]; error: OpsError | null }>('DatasourceFields')
  .implement({
    description: 'What queries can use: the source columns and the formulas.',
    fields: (t) => ({
      columns: t.field({ type: [ColumnRef], resolve: (r) => r.columns }),
      formulas: t.field({ type: [FormulaFieldRef], resolve: (r) => r.formulas }),
      error: t.field({ type: QueryErrorRef, nullable: true, resolve: (r) => (r.error ? asQueryError(r.error) : null) }),
    }),
  });

const QueryPreviewRef = builder
  .objectRef<{ sql: string | null; params: unknown[] | null; dialect: string; columns: { name: string; type: FieldType }[]; error: QueryJobError | null }>('QueryPreview')
  .implement({
    fields: (t) => ({
      dialect: t.exposeString('dialect'),
      sql: t.exposeString('sql', { nullable: true }),
      params: t.field({ type: 'JSON', nullable: true, resolve: (p) => p.params }),
      columns: t.field({ type: [ColumnRef], resolve: (p) => p.columns.map((c) => ({ ...c, nativeType: '' })) }),
      error: t.field({ type: QueryErrorRef, nullable: true, resolve: (p) => p.error }),
    }),
  });

const saved = (ctx: Context, row: { id: string }) => ({ saved: { organizationId: principalOf(ctx).organizationId, datasourceId: row.id } });

function checkFormulas(columns: SourceColumn[], formulas: { name: string; expression: string }[]): FormulaField[] {
  return formulas.map((f) => {
    try {
      const info = validateFormula(columns, formulas, f);
      return { ...f, type: info.type, aggregate: info.aggregate, error: null };
    } catch (err) {
      if (err instanceof QueryError) return { ...f, type: null, aggregate: null, error: err.toJSON() };
      throw err;
    }
  });
}

builder.objectFields(DatasourceRef, (t) => ({
  tables: t.field({
    type: TablesResultRef,
    description: 'Tables and views of the connected database, with their columns.',
    authScopes: { editor: true },
    resolve: async (row, _args, ctx) => {
      const r = await ctx.services.datasourceOps.listTables(saved(ctx, row));
      return r.ok ? { tables: r.value, error: null } : { tables: [], error: r.error };
    },
  }),
  fields: t.field({
    type: FieldsResultRef,
    resolve: async (row, _args, ctx) => {
      const r = await ctx.services.datasourceOps.describeSource(saved(ctx, row));
      if (!r.ok) return { columns: [], formulas: row.formulas.map((f) => ({ ...f, type: null, aggregate: null, error: null })), error: r.error };
      return { columns: r.value, formulas: checkFormulas(r.value, row.formulas), error: null };
    },
  }),
}));

const TestConnectionInput = builder.inputType('TestConnectionInput', {
  fields: (t) => ({
    kind: t.field({ type: DatasourceKindEnum, required: true }),
    connection: t.field({ type: ConnectionInput, required: true }),
  }),
});

builder.mutationFields((t) => ({
  testConnection: t.field({
    type: ConnectionTestRef,
    description: 'Tries connection settings before they are saved. The password is used once and not stored.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: TestConnectionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { connection, password } = parseConnection(input.kind, input.connection as Record<string, unknown>, 'input.connection');
      const sealedSecrets = password ? ctx.services.secrets.seal({ password }) : null;
      const r = await ctx.services.datasourceOps.testConnection({ unsaved: { kind: input.kind, connection, sealedSecrets } });
      return r.ok ? { ok: true, serverVersion: r.value.serverVersion, error: null } : { ok: false, serverVersion: null, error: r.error };
    },
  }),
  testDatasource: t.field({
    type: ConnectionTestRef,
    description: 'Tries the saved connection of a datasource.',
    authScopes: { editor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const row = await datasourceCollection.mustGet(ctx, String(id));
      const r = await ctx.services.datasourceOps.testConnection(saved(ctx, row));
      return r.ok ? { ok: true, serverVersion: r.value.serverVersion, error: null } : { ok: false, serverVersion: null, error: r.error };
    },
  }),
}));

builder.queryFields((t) => ({
  validateFormula: t.field({
    type: FormulaFieldRef,
    description: "Checks a formula against a datasource's columns and formulas, as saving it would.",
    authScopes: { member: true },
    args: { datasourceId: t.arg.id({ required: true }), name: t.arg.string(), expression: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const row = await datasourceCollection.mustGet(ctx, String(args.datasourceId), 'datasourceId');
      const formula = { name: args.name ?? '__draft__', expression: args.expression };
      const cols = await ctx.services.datasourceOps.describeSource(saved(ctx, row));
      if (!cols.ok) return { ...formula, type: null, aggregate: null, error: asQueryError(cols.error) };
      const others = row.formulas.filter((f) => f.name !== formula.name);
      return checkFormulas(cols.value, [...others, formula]).at(-1)!;
    },
  }),
  previewQuery: t.field({
    type: QueryPreviewRef,
    description: 'The SQL and bound parameters a query compiles to on this datasource (nothing is run).',
    authScopes: { editor: true },
    args: { datasourceId: t.arg.id({ required: true }), query: t.arg({ type: 'JSON', required: true }) },
    resolve: async (_root, args, ctx) => {
      const row = await datasourceCollection.mustGet(ctx, String(args.datasourceId), 'datasourceId');
      const dialect = dialectOf(row.kind);
      const cols = await ctx.services.datasourceOps.describeSource(saved(ctx, row));
      if (!cols.ok) return { dialect, sql: null, params: null, columns: [], error: asQueryError(cols.error) };
      try {
        const compiled = compileQuery({ dialect, source: row.source, columns: cols.value, formulas: row.formulas, query: args.query });
        return { dialect, sql: compiled.sql, params: compiled.params, columns: compiled.columns, error: null };
      } catch (err) {
        if (err instanceof QueryError) return { dialect, sql: null, params: null, columns: [], error: err.toJSON() };
        throw err;
      }
    },
  }),
}));
