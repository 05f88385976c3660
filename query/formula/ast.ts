/** The syntax tree of a formula, as written: names unresolved, types unknown. */
import type { SourceSpan } from '../errors';

export type FormulaAst =
  | { kind: 'number'; text: string; span: SourceSpan }
  | { kind: 'string'; value: string; span: SourceSpan }
  | { kind: 'boolean'; value: boolean; span: SourceSpan }
  | { kind: 'null'; span: SourceSpan }
  | { kind: 'field'; name: string; span: SourceSpan }
  | { kind: 'unary'; op: '-' | 'NOT'; operand: FormulaAst; span: SourceSpan }
  | { kind: 'binary'; op: BinaryOp; left: FormulaAst; right: FormulaAst; span: SourceSpan; opSpan: SourceSpan }
  | { kind: 'call'; name: string; args: FormulaAst[]; span: SourceSpan; nameSpan: SourceSpan };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';
