/** Filter conditions (`filters` and `having`) to IR predicates, values type-checked. */
import { QueryError } from '../errors';
import { numberToDecimal } from '../formula/numbers';
import { parseDateValue, parseTimestampValue } from '../time/time-values';
import type { FilterSpec, ScalarValue } from '../validate/query-spec';
import { literal, node, type CompareOp, type Expr, type ValueType } from './nodes';

/** Finds the expression a condition's `field` names, or throws the right error. */
export type FieldLookup = (name: string, path: string) => Expr;

function typeName(v: ScalarValue): string {
  return typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

export function valueLiteral(v: ScalarValue, type: ValueType, field: string, zone: string, path: string): Expr {
  const mismatch = (want: string) =>
    new QueryError('TYPE_MISMATCH', `field "${field}" is a ${type}: expected ${want}, got ${typeName(v)} ${JSON.stringify(v)} (at ${path})`, { path });
  switch (type) {
    case 'number':
      if (typeof v !== 'number') throw mismatch('a number');
      return literal({ type: 'number', text: numberToDecimal(v) });
    case 'string': case 'null':
      if (typeof v !== 'string') throw mismatch('a string');
      return literal({ type: 'string', value: v });
    case 'boolean':
      if (typeof v !== 'boolean') throw mismatch('true or false');
      return literal({ type: 'boolean', value: v });
    case 'date': {
      const d = typeof v === 'string' ? parseDateValue(v) : null;
      if (d === null) throw mismatch('a date "YYYY-MM-DD"');
      return literal({ type: 'date', value: d });
    }
    case 'timestamp': {
      const ms = typeof v === 'string' ? parseTimestampValue(v, zone) : null;
      if (ms === null) throw mismatch('a timestamp such as "2024-01-31T12:00:00Z" or "2024-01-31 12:00"');
      return literal({ type: 'timestamp', ms });
    }
  }
}

const COMPARE_OPS: Record<string, CompareOp> = { eq: 'eq', neq: 'neq', gt: 'gt', gte: 'gte', lt: 'lt', lte: 'lte' };

/** The predicate of a filter tree, or null for no condition (`{"and": []}`). */
export function filterExpr(f: FilterSpec, lookup: FieldLookup, zone: string): Expr | null {
  switch (f.kind) {
    case 'and': case 'or': {
      const parts = f.items.map((i) => filterExpr(i, lookup, zone));
      const kept = parts.filter((p): p is Expr => p !== null);
      if (f.kind === 'or' && kept.length < parts.length) return null; // an empty "and" is true
      if (kept.length === 0) return null;
      if (kept.length === 1) return kept[0]!;
      return node({ kind: 'logical', type: 'boolean', op: f.kind, operands: kept });
    }
    case 'not': {
      const inner = filterExpr(f.item, lookup, zone);
      // NOT of "no condition" would be false: keep the contract's plain reading, no rows.
      if (inner === null) return node({ kind: 'not', type: 'boolean', operand: literal({ type: 'boolean', value: true }) });
      return node({ kind: 'not', type: 'boolean', operand: inner });
    }
    case 'condition': {
      const operand = lookup(f.field, `${f.path}.field`);
      if ((f.op === 'contains' || f.op === 'starts_with') && operand.type !== 'string') {
        throw new QueryError('TYPE_MISMATCH', `"${f.op}" needs a text field; "${f.field}" is a ${operand.type} (at ${f.path}.op)`, { path: `${f.path}.op` });
      }
      const values = f.values.map((v, i) => valueLiteral(v, operand.type, f.field, zone, f.valuePaths[i]!));
      switch (f.op) {
        case 'is_null': case 'is_not_null':
          return node({ kind: 'is_null', type: 'boolean', operand, negated: f.op === 'is_not_null' });
        case 'in': case 'not_in':
          return node({ kind: 'in', type: 'boolean', operand, values, negated: f.op === 'not_in' });
        case 'between':
          return node({ kind: 'between', type: 'boolean', operand, low: values[0]!, high: values[1]! });
        case 'contains': case 'starts_with':
          return node({ kind: 'text_match', type: 'boolean', mode: f.op, operand, pattern: values[0]! });
        default:
          return node({ kind: 'compare', type: 'boolean', op: COMPARE_OPS[f.op]!, left: operand, right: values[0]! });
      }
    }
  }
}

export function allOf(parts: (Expr | null)[]): Expr | null {
  const kept = parts.filter((p): p is Expr => p !== null);
  if (kept.length === 0) return null;
  if (kept.length === 1) return kept[0]!;
  return node({ kind: 'logical', type: 'boolean', op: 'and', operands: kept });
}
