/** A small table with the values dialects disagree on: case, Unicode, NULLs, decimals, DST. */
import type { SourceColumn } from '../types';

export const COLUMNS: SourceColumn[] = [
  { name: 'id', type: 'number', nativeType: 'integer' },
  { name: 'city', type: 'string', nativeType: 'text' },
  { name: 'amount', type: 'number', nativeType: 'numeric(12,2)' },
  { name: 'qty', type: 'number', nativeType: 'integer' },
  { name: 'flag', type: 'boolean', nativeType: 'boolean' },
  { name: 'day', type: 'date', nativeType: 'date' },
  { name: 'ts', type: 'timestamp', nativeType: 'timestamptz' },
  { name: 'note', type: 'string', nativeType: 'text' },
];

type Row = [number, string | null, string | null, number | null, boolean | null, string | null, string | null, string | null];

export const ROWS: Row[] = [
  [1, 'Paris', '12.35', 3, true, '2024-03-30', '2024-03-30T22:30:00.000Z', 'a%b'],
  [2, 'paris', '-12.35', 4, false, '2024-03-31', '2024-03-31T00:30:00.000Z', "it's"],
  [3, 'Lyon', '150.00', null, true, '2024-10-26', '2024-10-27T00:30:00.000Z', '  pad  '],
  [4, 'élan', '0.10', 7, null, '2024-10-27', '2024-10-27T01:30:00.000Z', 'a_b'],
  [5, 'Zürich', '0.20', 2, false, null, '2024-12-31T23:59:59.999Z', null],
  [6, null, null, 0, true, '2024-01-01', null, 'Ωmega ß'],
  [7, 'Lyon', '2.50', 5, false, '2023-12-31', '2024-01-01T00:00:00.000Z', 'x'],
  [8, 'Paris', '7.50', -3, true, '2024-02-29', '2024-02-29T12:00:00.123Z', '%'],
];

export const FORMULAS = [
  { name: 'revenue', expression: '[amount] * [qty]' },
  { name: 'ratio', expression: 'SUM([amount]) / SUM([qty])' },
  { name: 'label', expression: "CONCAT([city], '-', [qty], '-', [flag], '-', [day], '-', [amount])" },
  { name: 'big', expression: '[amount] > 5' },
  { name: 'total', expression: 'SUM([amount])' },
];
