import { QueryError, invalid } from './errors';
import { fieldType, FieldResolver } from './formula/typecheck';
import { dialects } from './dialect/registry';
import { planQuery } from './plan/planner';
import type { CompiledQuery, Dialect, FieldType, FormulaDef, SourceColumn, SourceRef } from './types';
import { DEFAULT_LIMIT, DEFAULT_MAX_ROWS } from './validate/query-spec';
import { validateQueryShape } from './validate/validate-query';

/** Below every supported database's limit of bound parameters per statement. */
const MAX_PARAMS = 30_000;

export interface CompileQueryInput {
  dialect: Dialect;
  source: SourceRef;
  /** The datasource's introspected columns, in table order: the only identifiers ever emitted. */
  columns: readonly SourceColumn[];
  formulas: readonly FormulaDef[];
  /** The JSON query as received: validated here. */
  query: unknown;
  /** The server's maximum rows per result (default 100,000). */
  maxRows?: number;
}

export function compileQuery(input: CompileQueryInput): CompiledQuery {
  const spec = dialects[input.dialect];
  if (!spec) throw new Error(`unknown dialect ${String(input.dialect)}`);
  const maxRows = input.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isSafeInteger(maxRows) || maxRows < 1) throw new Error(`maxRows must be a positive integer, got ${maxRows}`);
  const query = validateQueryShape(input.query);
  const requested = query.limit ?? DEFAULT_LIMIT;
  const cut = requested > maxRows;
  const rowLimit = cut ? maxRows : requested;
  const plan = planQuery({
    source: input.source,
    columns: input.columns,
    resolver: new FieldResolver(input.columns, input.formulas),
    spec: query,
    sqlLimit: cut ? maxRows + 1 : requested,
  });
  const { sql, params } = spec.createCompiler({ zone: plan.zone }).compile(plan.select);
  if (params.length > MAX_PARAMS) throw invalid(`the query holds ${params.length} values; at most ${MAX_PARAMS} are allowed`);
  return { dialect: input.dialect, sql, params, columns: plan.columns, rowLimit, detectTruncationAt: cut ? maxRows + 1 : null };
}

export interface FormulaInfo {
  type: FieldType;
  /** An aggregate formula is a measure; a row formula a dimension, filter or aggregate input. */
  aggregate: boolean;
}

export function validateFormula(columns: readonly SourceColumn[], formulas: readonly FormulaDef[], formula: FormulaDef): FormulaInfo {
  if (typeof formula.name !== 'string' || formula.name.length === 0 || /[[\]]/.test(formula.name)) {
    throw invalid(`a formula name is non-empty text without "[" or "]": ${JSON.stringify(formula.name)}`);
  }
  if (columns.some((c) => c.name === formula.name)) {
    throw new QueryError('INVALID_QUERY', `"${formula.name}" is already a column of this datasource: choose another formula name`, { formula: formula.name });
  }
  if (typeof formula.expression !== 'string') throw invalid('a formula expression is text');
  const others = formulas.filter((f) => f.name !== formula.name);
  const resolver = new FieldResolver(columns, [...others, formula]);
  const bound = resolver.resolve(formula.name)!;
  return { type: fieldType(bound.type), aggregate: bound.aggregate };
}
