import { node, type Expr } from './nodes';

/** Rebuilds `e` with `f` applied to each direct child; exhaustive over kinds. */
export function mapChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'column': case 'inner': case 'literal':
      return e;
    case 'arith': case 'compare':
      return node({ ...e, left: f(e.left), right: f(e.right) });
    case 'negate': case 'not': case 'is_null': case 'date_trunc': case 'output':
      return node({ ...e, operand: f(e.operand) });
    case 'logical':
      return node({ ...e, operands: e.operands.map(f) });
    case 'in':
      return node({ ...e, operand: f(e.operand), values: e.values.map(f) });
    case 'between':
      return node({ ...e, operand: f(e.operand), low: f(e.low), high: f(e.high) });
    case 'text_match':
      return node({ ...e, operand: f(e.operand), pattern: f(e.pattern) });
    case 'call':
      return node({ ...e, args: e.args.map(f) });
    case 'date_diff':
      return node({ ...e, start: f(e.start), end: f(e.end) });
    case 'aggregate':
      return e.operand ? node({ ...e, operand: f(e.operand) }) : e;
    default: {
      const never: never = e;
      return never;
    }
  }
}
