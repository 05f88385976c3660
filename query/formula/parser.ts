/**
 * Recursive descent over the formula grammar, loosest binding first:
 *   or := and (OR and)* ; and := not (AND not)* ; not := NOT not | cmp
 *   cmp := add (CMP add)? ; add := mul ((+|-) mul)* ; mul := unary ((*|/|%) unary)*
 *   unary := (-|+) unary | primary
 *   primary := number | 'string' | TRUE | FALSE | NULL | [field] | name | name(args) | (or)
 */
import type { BinaryOp, FormulaAst } from './ast';
import { syntaxError, tokenize, type Token } from './lexer';

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'TRUE', 'FALSE', 'NULL']);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

export function parseFormula(source: string, formula: string): FormulaAst {
  const tokens = tokenize(source, formula);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isWord = (t: Token, w: string) => t.kind === 'ident' && t.text.toUpperCase() === w;
  const fail = (t: Token, what: string): never => {
    const found = t.kind === 'eof' ? 'the end of the formula' : `"${source.slice(t.start, t.end)}"`;
    throw syntaxError(formula, `expected ${what}, found ${found}`, t.start, t.kind === 'eof' ? t.end : t.end);
  };

  const binary = (op: BinaryOp, left: FormulaAst, right: FormulaAst, opTok: Token): FormulaAst => ({
    kind: 'binary', op, left, right,
    span: { start: left.span.start, end: right.span.end },
    opSpan: { start: opTok.start, end: opTok.end },
  });

  function or(): FormulaAst {
    let left = and();
    while (isWord(peek(), 'OR')) { const t = next(); left = binary('OR', left, and(), t); }
    return left;
  }
  function and(): FormulaAst {
    let left = not();
    while (isWord(peek(), 'AND')) { const t = next(); left = binary('AND', left, not(), t); }
    return left;
  }
  function not(): FormulaAst {
    if (isWord(peek(), 'NOT')) {
      const t = next();
      const operand = not();
      return { kind: 'unary', op: 'NOT', operand, span: { start: t.start, end: operand.span.end } };
    }
    return comparison();
  }
  function comparison(): FormulaAst {
    const left = additive();
    const t = peek();
    if (t.kind === 'op' && COMPARISONS.has(t.text)) {
      next();
      const result = binary(t.text as BinaryOp, left, additive(), t);
      const after = peek();
      if (after.kind === 'op' && COMPARISONS.has(after.text)) {
        throw syntaxError(formula, 'comparisons do not chain: use AND', after.start, after.end);
      }
      return result;
    }
    return left;
  }
  function additive(): FormulaAst {
    let left = multiplicative();
    while (peek().kind === 'op' && (peek().text === '+' || peek().text === '-')) {
      const t = next();
      left = binary(t.text as BinaryOp, left, multiplicative(), t);
    }
    return left;
  }
  function multiplicative(): FormulaAst {
    let left = unary();
    while (peek().kind === 'op' && ['*', '/', '%'].includes(peek().text)) {
      const t = next();
      left = binary(t.text as BinaryOp, left, unary(), t);
    }
    return left;
  }
  function unary(): FormulaAst {
    const t = peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      next();
      const operand = unary();
      if (t.text === '+') return operand;
      // A negative literal stays a literal, so ROUND(x, -2) keeps a constant digits argument.
      if (operand.kind === 'number') {
        return { kind: 'number', text: operand.text.startsWith('-') ? operand.text.slice(1) : `-${operand.text}`, span: { start: t.start, end: operand.span.end } };
      }
      return { kind: 'unary', op: '-', operand, span: { start: t.start, end: operand.span.end } };
    }
    return primary();
  }
  function primary(): FormulaAst {
    const t = next();
    const span = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'number': return { kind: 'number', text: t.text, span };
      case 'string': return { kind: 'string', value: t.text, span };
      case 'field': return { kind: 'field', name: t.text, span };
      case '(': {
        const inner = or();
        const close = next();
        if (close.kind !== ')') fail(close, '")"');
        return inner;
      }
      case 'ident': {
        const upper = t.text.toUpperCase();
        if (peek().kind === '(') {
          next();
          const args: FormulaAst[] = [];
          if (peek().kind !== ')') {
            for (;;) {
              args.push(or());
              const sep = next();
              if (sep.kind === ')') break;
              if (sep.kind !== ',') fail(sep, '"," or ")"');
            }
          } else next();
          return { kind: 'call', name: upper, args, span: { start: t.start, end: tokens[pos - 1]!.end }, nameSpan: span };
        }
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE', span };
        if (upper === 'NULL') return { kind: 'null', span };
        if (KEYWORDS.has(upper)) return fail(t, 'a value');
        // A bare name is a field, like [name] without spaces.
        return { kind: 'field', name: t.text, span };
      }
      default:
        return fail(t, 'a value');
    }
  }

  if (peek().kind === 'eof') throw syntaxError(formula, 'the formula is empty', 0, source.length);
  const ast = or();
  const rest = peek();
  if (rest.kind !== 'eof') fail(rest, 'an operator or the end of the formula');
  return ast;
}
