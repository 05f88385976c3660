/**
 * Resolves names and checks types: turns formula syntax into typed IR expressions. Formulas
 * are bound lazily, once each, so a broken formula only fails the queries that use it.
 */
import { QueryError, type SourceSpan } from '../errors';
import type { FieldType, FormulaDef, SourceColumn } from '../types';
import { GRANULARITIES, type Granularity } from '../validate/query-spec';
import { literal, node, type CompareOp, type DiffUnit, type Expr, type ValueType } from '../plan/nodes';
import type { FormulaAst } from './ast';
import { AGGREGATE_FUNCTIONS, SCALAR_FUNCTIONS } from './functions';
import { parseFormula } from './parser';
import { plainDecimal } from './numbers';

/** A field ready to use in a query: its expression, type, and whether it aggregates. */
export interface BoundField {
  name: string;
  expr: Expr;
  type: ValueType;
  aggregate: boolean;
  /** True for a formula, false for a column. */
  formula: boolean;
}

interface Bound {
  expr: Expr;
  /** Contains an aggregate. */
  agg: boolean;
  /** Contains a row value outside any aggregate. */
  row: boolean;
}

const DIFF_UNITS: readonly DiffUnit[] = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
const COMPARE: Record<string, CompareOp> = { '=': 'eq', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };

export function unify(a: ValueType, b: ValueType): ValueType | null {
  if (a === 'null') return b;
  if (b === 'null' || a === b) return a;
  return null;
}

/** The output type of a value type: a bare NULL is reported as a string. */
export function fieldType(t: ValueType): FieldType {
  return t === 'null' ? 'string' : t;
}

function err(code: QueryError['code'], formula: string, span: SourceSpan, message: string): QueryError {
  return new QueryError(code, `formula "${formula}", position ${span.start}–${span.end}: ${message}`, {
    formula,
    position: { start: span.start, end: span.end },
  });
}

type State = { state: 'binding' } | { state: 'done'; field: BoundField } | { state: 'failed'; error: QueryError };

/** Looks up the fields of one datasource: its columns first, then its formulas. */
export class FieldResolver {
  private readonly columns = new Map<string, SourceColumn>();
  private readonly formulas = new Map<string, FormulaDef>();
  private readonly states = new Map<string, State>();
  private readonly columnExprs = new Map<string, BoundField>();
  private readonly stack: string[] = [];

  constructor(columns: readonly SourceColumn[], formulas: readonly FormulaDef[]) {
    for (const c of columns) this.columns.set(c.name, c);
    for (const f of formulas) this.formulas.set(f.name, f);
  }

  has(name: string): boolean {
    return this.columns.has(name) || this.formulas.has(name);
  }

  isFormula(name: string): boolean {
    return !this.columns.has(name) && this.formulas.has(name);
  }

  /** The bound field, or null when the name is neither a column nor a formula. */
  resolve(name: string): BoundField | null {
    const column = this.columns.get(name);
    if (column) {
      let f = this.columnExprs.get(name);
      if (!f) {
        f = { name, expr: node({ kind: 'column', type: column.type, column }), type: column.type, aggregate: false, formula: false };
        this.columnExprs.set(name, f);
      }
      return f;
    }
    const def = this.formulas.get(name);
    if (!def) return null;
    const state = this.states.get(name);
    if (state?.state === 'done') return state.field;
    if (state?.state === 'failed') throw state.error;
    if (state?.state === 'binding') {
      const cycle = [...this.stack.slice(this.stack.indexOf(name)), name];
      throw new QueryError('FORMULA_CYCLE', `formulas reference each other in a cycle: ${cycle.join(' → ')}`, { formula: name });
    }
    this.states.set(name, { state: 'binding' });
    this.stack.push(name);
    try {
      const ast = parseFormula(def.expression, name);
      const b = this.bind(ast, name, false);
      const field: BoundField = { name, expr: b.expr, type: b.expr.type, aggregate: b.agg, formula: true };
      this.states.set(name, { state: 'done', field });
      return field;
    } catch (e) {
      if (e instanceof QueryError && e.code !== 'FORMULA_CYCLE') this.states.set(name, { state: 'failed', error: e });
      else this.states.delete(name);
      throw e;
    } finally {
      this.stack.pop();
    }
  }

  private bind(ast: FormulaAst, formula: string, inAggregate: boolean): Bound {
    const leaf = (expr: Expr): Bound => ({ expr, agg: false, row: false });
    switch (ast.kind) {
      case 'number':
        return leaf(literal({ type: 'number', text: plainDecimal(ast.text) }));
      case 'string':
        return leaf(literal({ type: 'string', value: ast.value }));
      case 'boolean':
        return leaf(literal({ type: 'boolean', value: ast.value }));
      case 'null':
        return leaf(literal({ type: 'null' }));
      case 'field': {
        // A referenced formula's own error propagates as is, naming that formula.
        const f = this.resolve(ast.name);
        if (!f) {
          throw err('UNKNOWN_FIELD', formula, ast.span, `unknown field [${ast.name}]: not a column or formula of this datasource`);
        }
        if (f.aggregate && inAggregate) {
          throw err('INVALID_QUERY', formula, ast.span, `aggregate formula [${ast.name}] inside an aggregate: aggregates do not nest`);
        }
        return { expr: f.expr, agg: f.aggregate, row: !f.aggregate && !inAggregate };
      }
      case 'unary': {
        const o = this.bind(ast.operand, formula, inAggregate);
        const want: FieldType = ast.op === '-' ? 'number' : 'boolean';
        if (unify(o.expr.type, want) === null) {
          throw err('TYPE_MISMATCH', formula, ast.span, `${ast.op} needs a ${want}, got a ${o.expr.type}`);
        }
        const expr: Expr = ast.op === '-'
          ? node({ kind: 'negate', type: 'number', operand: o.expr })
          : node({ kind: 'not', type: 'boolean', operand: o.expr });
        return { expr, agg: o.agg, row: o.row };
      }
      case 'binary': {
        const l = this.bind(ast.left, formula, inAggregate);
        const r = this.bind(ast.right, formula, inAggregate);
        this.checkMix(l, r, formula, ast.span);
        const merged = (expr: Expr): Bound => ({ expr, agg: l.agg || r.agg, row: l.row || r.row });
        const lt = l.expr.type, rt = r.expr.type;
        switch (ast.op) {
          case '+': case '-': case '*': case '/': case '%':
            if (unify(lt, 'number') === null || unify(rt, 'number') === null) {
              throw err('TYPE_MISMATCH', formula, ast.opSpan, `"${ast.op}" needs numbers, got ${lt} and ${rt}${ast.op === '+' && (lt === 'string' || rt === 'string') ? ' (use CONCAT for text)' : ''}`);
            }
            return merged(node({ kind: 'arith', type: 'number', op: ast.op, left: l.expr, right: r.expr }));
          case 'AND': case 'OR': {
            if (unify(lt, 'boolean') === null || unify(rt, 'boolean') === null) {
              throw err('TYPE_MISMATCH', formula, ast.opSpan, `${ast.op} needs booleans, got ${lt} and ${rt}`);
            }
            const op = ast.op === 'AND' ? 'and' : 'or';
            const flat = (e: Expr): Expr[] => (e.kind === 'logical' && e.op === op ? [...e.operands] : [e]);
            return merged(node({ kind: 'logical', type: 'boolean', op, operands: [...flat(l.expr), ...flat(r.expr)] }));
          }
          default: {
            if (unify(lt, rt) === null) {
              throw err('TYPE_MISMATCH', formula, ast.opSpan, `cannot compare a ${lt} with a ${rt}`);
            }
            return merged(node({ kind: 'compare', type: 'boolean', op: COMPARE[ast.op]!, left: l.expr, right: r.expr }));
          }
        }
      }
      case 'call':
        return this.bindCall(ast, formula, inAggregate);
    }
  }

  private checkMix(l: Bound, r: Bound, formula: string, span: SourceSpan): void {
    if ((l.agg && r.row) || (r.agg && l.row)) {
      throw err('INVALID_QUERY', formula, span, 'mixes aggregated and row values: put the row value inside an aggregate');
    }
  }

  private bindCall(ast: Extract<FormulaAst, { kind: 'call' }>, formula: string, inAggregate: boolean): Bound {
    const aggSpec = AGGREGATE_FUNCTIONS[ast.name];
    const spec = SCALAR_FUNCTIONS[ast.name];
    if (!aggSpec && !spec) {
      throw err('FORMULA_SYNTAX', formula, ast.nameSpan, `unknown function ${ast.name}`);
    }
    const { min, max } = (aggSpec ?? spec)!;
    if (ast.args.length < min || ast.args.length > max) {
      const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw err('FORMULA_SYNTAX', formula, ast.span, `${ast.name} takes ${want} argument${want === '1' ? '' : 's'}, got ${ast.args.length}`);
    }
    if (aggSpec) {
      if (inAggregate) throw err('INVALID_QUERY', formula, ast.span, `${ast.name} inside an aggregate: aggregates do not nest`);
      const arg = ast.args[0] ? this.bind(ast.args[0], formula, true) : null;
      const t = arg?.expr.type ?? 'number';
      if ((aggSpec.fn === 'sum' || aggSpec.fn === 'avg') && unify(t, 'number') === null) {
        throw err('TYPE_MISMATCH', formula, ast.args[0]!.span, `${ast.name} needs a number, got a ${t}`);
      }
      const type: ValueType = aggSpec.fn === 'min' || aggSpec.fn === 'max' ? t : 'number';
      return { expr: node({ kind: 'aggregate', type, fn: aggSpec.fn, operand: arg?.expr ?? null }), agg: true, row: false };
    }
    const fn = spec!.fn;
    if (fn === 'date_trunc' || fn === 'date_diff') return this.bindDateFn(ast, fn, formula, inAggregate);
    const args = ast.args.map((a) => this.bind(a, formula, inAggregate));
    for (let i = 1; i < args.length; i++) this.checkMix(args[0]!, args[i]!, formula, ast.span);
    const result = (type: ValueType): Bound => ({
      expr: node({ kind: 'call', type, fn, args: args.map((a) => a.expr) }),
      agg: args.some((a) => a.agg),
      row: args.some((a) => a.row),
    });
    const need = (i: number, ...types: FieldType[]) => {
      const t = args[i]!.expr.type;
      if (t !== 'null' && !types.includes(t)) {
        throw err('TYPE_MISMATCH', formula, ast.args[i]!.span, `${ast.name} argument ${i + 1} must be a ${types.join(' or ')}, got a ${t}`);
      }
    };
    const same = (from: number): ValueType => {
      let t: ValueType = 'null';
      for (let i = from; i < args.length; i++) {
        const u = unify(t, args[i]!.expr.type);
        if (u === null) throw err('TYPE_MISMATCH', formula, ast.args[i]!.span, `${ast.name} arguments must have one type: got a ${t} and a ${args[i]!.expr.type}`);
        t = u;
      }
      return t;
    };
    switch (fn) {
      case 'if': need(0, 'boolean'); return result(same(1));
      case 'coalesce': return result(same(0));
      case 'nullif': return result(unify(same(0), args[0]!.expr.type) ?? 'null');
      case 'abs': case 'floor': case 'ceil': need(0, 'number'); return result('number');
      case 'round': {
        need(0, 'number');
        const d = ast.args[1];
        if (d && !(d.kind === 'number' && /^-?\d+$/.test(plainDecimal(d.text)))) {
          throw err('TYPE_MISMATCH', formula, d.span, 'ROUND digits must be an integer number such as 2 or -1');
        }
        return result('number');
      }
      case 'lower': case 'upper': case 'trim': need(0, 'string'); return result('string');
      case 'length': need(0, 'string'); return result('number');
      case 'substr': need(0, 'string'); need(1, 'number'); if (args[2]) need(2, 'number'); return result('string');
      case 'concat': return result('string');
      case 'year': case 'month': case 'day': need(0, 'date', 'timestamp'); return result('number');
    }
  }

  private bindDateFn(ast: Extract<FormulaAst, { kind: 'call' }>, fn: 'date_trunc' | 'date_diff', formula: string, inAggregate: boolean): Bound {
    const unitAst = ast.args[0]!;
    const units: readonly string[] = fn === 'date_trunc' ? GRANULARITIES : DIFF_UNITS;
    if (unitAst.kind !== 'string' || !units.includes(unitAst.value.toLowerCase())) {
      throw err('TYPE_MISMATCH', formula, unitAst.span, `${ast.name} unit must be a string literal: one of ${units.map((u) => `'${u}'`).join(', ')}`);
    }
    const unit = unitAst.value.toLowerCase();
    const args = ast.args.slice(1).map((a) => this.bind(a, formula, inAggregate));
    args.forEach((a, i) => {
      const t = a.expr.type;
      if (t !== 'null' && t !== 'date' && t !== 'timestamp') {
        throw err('TYPE_MISMATCH', formula, ast.args[i + 1]!.span, `${ast.name} needs a date or timestamp, got a ${t}`);
      }
    });
    if (args[1]) this.checkMix(args[0]!, args[1], formula, ast.span);
    const agg = args.some((a) => a.agg), row = args.some((a) => a.row);
    if (fn === 'date_trunc') {
      const operand = args[0]!.expr;
      if (unit === 'hour' && operand.type === 'date') {
        throw err('TYPE_MISMATCH', formula, ast.args[1]!.span, "DATE_TRUNC 'hour' needs a timestamp: this is a date");
      }
      const type: ValueType = unit === 'hour' ? 'timestamp' : 'date';
      return { expr: truncNode(unit as Granularity, operand, type), agg, row };
    }
    return { expr: node({ kind: 'date_diff', type: 'number', unit: unit as DiffUnit, start: args[0]!.expr, end: args[1]!.expr }), agg, row };
  }
}

export function truncNode(unit: Granularity, operand: Expr, type: ValueType): Expr {
  return node({ kind: 'date_trunc', type, unit, operand });
}
