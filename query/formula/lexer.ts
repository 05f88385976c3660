import { QueryError } from '../errors';

export type TokenKind = 'number' | 'string' | 'field' | 'ident' | 'op' | '(' | ')' | ',' | 'eof';

export interface Token {
  kind: TokenKind;
  /** For strings and fields the unescaped content; for idents and ops the text as written. */
  text: string;
  start: number;
  end: number;
}

const OPS = ['<=', '>=', '!=', '<>', '+', '-', '*', '/', '%', '=', '<', '>'];

export function syntaxError(formula: string, message: string, start: number, end: number): QueryError {
  return new QueryError('FORMULA_SYNTAX', `formula "${formula}", position ${start}–${end}: ${message}`, {
    formula,
    position: { start, end },
  });
}

/** Splits a formula into tokens, each with its offsets in the text. */
export function tokenize(source: string, formula: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (c === '[') {
      const close = source.indexOf(']', i + 1);
      if (close < 0) throw syntaxError(formula, 'unclosed "[": a field name ends with "]"', start, source.length);
      const name = source.slice(i + 1, close);
      if (name.length === 0) throw syntaxError(formula, 'empty field name "[]"', start, close + 1);
      tokens.push({ kind: 'field', text: name, start, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length) throw syntaxError(formula, "unclosed string: a string ends with '", start, source.length);
        if (source[i] === "'") {
          if (source[i + 1] === "'") { value += "'"; i += 2; continue; }
          i++;
          break;
        }
        value += source[i];
        i++;
      }
      tokens.push({ kind: 'string', text: value, start, end: i });
      continue;
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (num) {
      i += num[0].length;
      if (i < source.length && /[A-Za-z_]/.test(source[i]!)) {
        throw syntaxError(formula, `unexpected "${source[i]}" after the number ${num[0]}`, i, i + 1);
      }
      tokens.push({ kind: 'number', text: num[0], start, end: i });
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (ident) {
      i += ident[0].length;
      tokens.push({ kind: 'ident', text: ident[0], start, end: i });
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, start, end: i + 1 });
      i++;
      continue;
    }
    const op = OPS.find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op === '<>' ? '!=' : op, start, end: i + op.length });
      i += op.length;
      continue;
    }
    const ch = String.fromCodePoint(source.codePointAt(i)!);
    throw syntaxError(formula, `unexpected character "${ch}"`, start, start + ch.length);
  }
  tokens.push({ kind: 'eof', text: '', start: source.length, end: source.length });
  return tokens;
}
