/**
 * From a shape-checked query to a tree of SELECT nodes. A grouped query has three levels, so
 * no expression (and no parameter) is ever repeated between SELECT and GROUP BY, and `having`
 * and `orderBy` can name output columns on every dialect:
 *   rows:   SELECT <dimensions> AS d0.., <aggregate arguments> AS a0.. FROM source WHERE filters
 *   groups: SELECT d0.., <measures over a0..> AS m0.., <hidden order keys> AS h0.. GROUP BY d0..
 *   output: SELECT <canonical form of d0.., m0..> FROM groups WHERE having ORDER BY .. LIMIT ..
 * A raw-rows query is one level. Internal aliases only: output names never reach the SQL.
 */
import { QueryError, invalid } from '../errors';
import { fieldType, truncNode, type BoundField, type FieldResolver } from '../formula/typecheck';
import type { FieldType, OutputColumn, SourceColumn, SourceRef } from '../types';
import type { OrderSpec, QuerySpec } from '../validate/query-spec';
import { allOf, filterExpr } from './filters';
import { node, type Expr, type FromNode, type OrderItem, type SelectNode, type ValueType } from './nodes';
import { mapChildren } from './walk';

export interface Plan {
  select: SelectNode;
  columns: OutputColumn[];
  zone: string;
}

export interface PlanInput {
  source: SourceRef;
  columns: readonly SourceColumn[];
  resolver: FieldResolver;
  spec: QuerySpec;
  /** The LIMIT written in the SQL. */
  sqlLimit: number;
}

function sourceNode(source: SourceRef): FromNode {
  return source.kind === 'table'
    ? { kind: 'table', table: source.table, ...(source.schema !== undefined ? { schema: source.schema } : {}) }
    : { kind: 'custom_sql', sql: source.sql };
}

/** Resolves a field or throws UNKNOWN_FIELD; formula errors get the query path added. */
function resolveAt(resolver: FieldResolver, name: string, path: string): BoundField {
  let f: BoundField | null;
  try {
    f = resolver.resolve(name);
  } catch (e) {
    throw e instanceof QueryError ? e.at(path) : e;
  }
  if (!f) throw new QueryError('UNKNOWN_FIELD', `unknown field "${name}": not a column or formula of this datasource (at ${path})`, { path });
  return f;
}

function rowField(resolver: FieldResolver, name: string, path: string, use: string): BoundField {
  const f = resolveAt(resolver, name, path);
  if (f.aggregate) throw invalid(`"${name}" is an aggregate formula and cannot be used ${use}`, path);
  return f;
}

const inner = (alias: string, type: ValueType): Expr => node({ kind: 'inner', type, alias });
const output = (operand: Expr): Expr => node({ kind: 'output', type: operand.type, operand });

function freezeSelect(s: SelectNode): SelectNode {
  return Object.freeze({ ...s, columns: Object.freeze(s.columns.map((c) => Object.freeze(c))), groupBy: Object.freeze([...s.groupBy]), orderBy: Object.freeze(s.orderBy.map((o) => Object.freeze(o))) });
}

function checkUniqueNames(columns: { name: string; path: string }[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw invalid(`two output columns are named "${c.name}": give one an "as"`, c.path);
    seen.add(c.name);
  }
}

export function planQuery(input: PlanInput): Plan {
  const { spec } = input;
  return spec.dimensions.length === 0 && spec.measures.length === 0 ? planRaw(input) : planGrouped(input);
}

function planRaw({ source, columns, resolver, spec, sqlLimit }: PlanInput): Plan {
  const outputs = columns.map((c) => ({ name: c.name, type: c.type }));
  const exprs = columns.map((c) => resolveAt(resolver, c.name, 'columns').expr);
  const where = allOf(spec.filters.map((f) => filterExpr(f, (name, path) => rowField(resolver, name, path, 'in filters: use "having"').expr, spec.timezone)));
  const orderBy: OrderItem[] = spec.orderBy.map((o) => ({
    expr: rowField(resolver, o.field, `${o.path}.field`, 'to order raw rows').expr,
    dir: o.dir,
  }));
  const select: SelectNode = {
    kind: 'select',
    columns: exprs.map((e, i) => ({ expr: output(e), alias: `o${i}` })),
    from: sourceNode(source),
    fromAlias: 'src',
    where,
    groupBy: [],
    orderBy,
    limit: sqlLimit,
    offset: spec.offset,
  };
  return { select: freezeSelect(select), columns: outputs, zone: spec.timezone };
}

interface OutCol {
  name: string;
  type: FieldType;
  alias: string;
  /** Expression computed in the rows (dimensions) or groups (measures) level. */
  expr: Expr;
  path: string;
  /** Field of a dimension, for `orderBy` by field. */
  field?: string;
}

function planGrouped({ source, resolver, spec, sqlLimit }: PlanInput): Plan {
  const zone = spec.timezone;
  const dims: OutCol[] = spec.dimensions.map((d, i) => {
    const f = rowField(resolver, d.field, d.path, 'as a dimension: use it as a measure');
    let expr = f.expr;
    let name = d.field;
    if (d.granularity) {
      if (f.type !== 'date' && f.type !== 'timestamp') {
        throw new QueryError('TYPE_MISMATCH', `granularity "${d.granularity}" needs a date or timestamp field; "${d.field}" is a ${f.type} (at ${d.path}.granularity)`, { path: `${d.path}.granularity` });
      }
      if (d.granularity === 'hour' && f.type === 'date') {
        throw new QueryError('TYPE_MISMATCH', `granularity "hour" needs a timestamp; "${d.field}" is a date (at ${d.path}.granularity)`, { path: `${d.path}.granularity` });
      }
      expr = truncNode(d.granularity, f.expr, d.granularity === 'hour' ? 'timestamp' : 'date');
      name = `${d.field}_${d.granularity}`;
    }
    return { name: d.as ?? name, type: fieldType(expr.type), alias: `d${i}`, expr, path: d.path, field: d.field };
  });

  const measures: OutCol[] = spec.measures.map((m, i) => {
    if (m.kind === 'formula') {
      const f = resolveAt(resolver, m.formula, `${m.path}.formula`);
      if (!f.formula) throw invalid(`"${m.formula}" is a column, not a formula: use {"agg": ..., "field": "${m.formula}"}`, `${m.path}.formula`);
      if (!f.aggregate) throw invalid(`formula "${m.formula}" has no aggregate and cannot be a measure: use it as a dimension or inside an "agg"`, `${m.path}.formula`);
      return { name: m.as ?? m.formula, type: fieldType(f.type), alias: `m${i}`, expr: f.expr, path: m.path };
    }
    let operand: Expr | null = null;
    let type: ValueType = 'number';
    if (m.field !== undefined) {
      const f = rowField(resolver, m.field, `${m.path}.field`, `inside "${m.agg}": aggregates do not nest`);
      if ((m.agg === 'sum' || m.agg === 'avg') && f.type !== 'number' && f.type !== 'null') {
        throw new QueryError('TYPE_MISMATCH', `"${m.agg}" needs a number field; "${m.field}" is a ${f.type} (at ${m.path}.field)`, { path: `${m.path}.field` });
      }
      operand = f.expr;
      if (m.agg === 'min' || m.agg === 'max') type = f.type;
    }
    const expr = node({ kind: 'aggregate', type, fn: m.agg, operand });
    const name = m.as ?? (m.field !== undefined ? `${m.agg}_${m.field}` : 'count');
    return { name, type: fieldType(type), alias: `m${i}`, expr, path: m.path };
  });

  const outs = [...dims, ...measures];
  checkUniqueNames(outs);
  const hidden: { alias: string; expr: Expr; name: string }[] = [];
  const hiddenAggregate = (f: BoundField): Expr => {
    let h = hidden.find((x) => x.name === f.name);
    if (!h) {
      h = { alias: `h${hidden.length}`, expr: f.expr, name: f.name };
      hidden.push(h);
    }
    return inner(h.alias, f.type);
  };

  // `having` and `orderBy` name output columns, else an aggregate formula (computed per group).
  const groupLevelRef = (name: string, path: string, forOrder: boolean): Expr => {
    const out = outs.find((o) => o.name === name);
    if (out) return inner(out.alias, out.type);
    if (forOrder) {
      const dim = dims.find((d) => d.field === name);
      if (dim) return inner(dim.alias, dim.type);
    }
    const f = resolveAt(resolver, name, path);
    if (f.aggregate) return hiddenAggregate(f);
    throw invalid(
      forOrder
        ? `"${name}" is not an output column or dimension of this query and cannot order it`
        : `"${name}" is not an output column of this query: "having" filters output columns; filter rows with "filters"`,
      path,
    );
  };

  const where = allOf(spec.filters.map((f) => filterExpr(f, (name, path) => rowField(resolver, name, path, 'in filters: use "having"').expr, zone)));
  const having = allOf(spec.having.map((f) => filterExpr(f, (name, path) => groupLevelRef(name, path, false), zone)));
  const orderBy: OrderItem[] = spec.orderBy.map((o: OrderSpec) => ({ expr: groupLevelRef(o.field, `${o.path}.field`, true), dir: o.dir }));
  for (const d of dims) {
    if (!orderBy.some((o) => o.expr.kind === 'inner' && o.expr.alias === d.alias)) orderBy.push({ expr: inner(d.alias, d.type), dir: 'asc' });
  }

  // Lift every aggregate's argument into the rows level, as a0, a1, ...
  const lifted: { alias: string; expr: Expr }[] = [];
  const lift = (e: Expr): Expr => {
    if (e.kind === 'aggregate') {
      if (!e.operand) return e;
      const alias = `a${lifted.length}`;
      lifted.push({ alias, expr: e.operand });
      return node({ ...e, operand: inner(alias, e.operand.type) });
    }
    return mapChildren(e, lift);
  };
  const groupMeasures = measures.map((m) => ({ expr: lift(m.expr), alias: m.alias }));
  const groupHidden = hidden.map((h) => ({ expr: lift(h.expr), alias: h.alias }));

  const rows: SelectNode = {
    kind: 'select',
    columns: [...dims.map((d) => ({ expr: d.expr, alias: d.alias })), ...lifted],
    from: sourceNode(source),
    fromAlias: 'src',
    where,
    groupBy: [],
    orderBy: [],
    limit: null,
    offset: 0,
  };
  const groups: SelectNode = {
    kind: 'select',
    columns: [...dims.map((d) => ({ expr: inner(d.alias, d.type), alias: d.alias })), ...groupMeasures, ...groupHidden],
    from: { kind: 'subquery', select: freezeSelect(rows) },
    fromAlias: 'r',
    where: null,
    groupBy: dims.map((d) => inner(d.alias, d.type)),
    orderBy: [],
    limit: null,
    offset: 0,
  };
  const top: SelectNode = {
    kind: 'select',
    columns: outs.map((o, i) => ({ expr: output(inner(o.alias, o.type)), alias: `o${i}` })),
    from: { kind: 'subquery', select: freezeSelect(groups) },
    fromAlias: 'g',
    where: having,
    groupBy: [],
    orderBy,
    limit: sqlLimit,
    offset: spec.offset,
  };
  return { select: freezeSelect(top), columns: outs.map((o) => ({ name: o.name, type: o.type })), zone };
}
