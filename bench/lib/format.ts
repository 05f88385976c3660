import type { Unit } from './types';

/** Three significant digits or so: enough to compare, not more than the noise supports. */
export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** Ratios near 1 get three decimals, since a 5 % target is read there. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  return `${ratio.toFixed(ratio < 10 ? 3 : 1)}×`;
}
