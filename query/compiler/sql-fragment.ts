/**
 * SQL as data: text chunks written by the compiler, bound parameters, and identifiers. Text
 * of a query or formula can only enter as a parameter or as an identifier (quoted by the
 * dialect at the end), never as SQL: `sql` accepts fragments only, not strings.
 */
import type { SqlParam } from '../types';

type Chunk =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'param'; readonly value: SqlParam }
  | { readonly t: 'ident'; readonly name: string };

export class Sql {
  private constructor(readonly chunks: readonly Chunk[]) {}

  static of(chunks: readonly Chunk[]): Sql {
    return new Sql(Object.freeze(chunks));
  }
}

/** Compiler-written SQL text. Never pass user input here. */
export function raw(text: string): Sql {
  return Sql.of([{ t: 'text', text }]);
}

export function param(value: SqlParam): Sql {
  return Sql.of([{ t: 'param', value }]);
}

export function ident(name: string): Sql {
  return Sql.of([{ t: 'ident', name }]);
}

/** A compiler-generated number (offsets, bounds): written inline, never from query text. */
export function int(n: number): Sql {
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${n}`);
  return raw(String(n));
}

export function sql(strings: TemplateStringsArray, ...values: (Sql | number)[]): Sql {
  const chunks: Chunk[] = [];
  strings.forEach((s, i) => {
    if (s) chunks.push({ t: 'text', text: s });
    if (i < values.length) {
      const v = values[i]!;
      for (const c of (typeof v === 'number' ? int(v) : v).chunks) chunks.push(c);
    }
  });
  return Sql.of(chunks);
}

export function join(parts: readonly Sql[], separator = ', '): Sql {
  const chunks: Chunk[] = [];
  parts.forEach((p, i) => {
    if (i > 0) chunks.push({ t: 'text', text: separator });
    for (const c of p.chunks) chunks.push(c);
  });
  return Sql.of(chunks);
}

export interface Renderer {
  quoteIdentifier(name: string): string;
  /** The placeholder of the `index`-th parameter, 1-based. */
  placeholder(index: number): string;
}

export function render(fragment: Sql, r: Renderer): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  let text = '';
  for (const c of fragment.chunks) {
    if (c.t === 'text') text += c.text;
    else if (c.t === 'ident') text += r.quoteIdentifier(c.name);
    else {
      params.push(c.value);
      text += r.placeholder(params.length);
    }
  }
  return { sql: text, params };
}
