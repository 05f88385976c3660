import { formatRatio, formatValue } from './format';
import { renderTable } from './table';
import type { BenchResult } from './types';

function labels(r: BenchResult): string {
  return `figure: ${r.figure.label}  ·  baseline: ${r.baseline.label}`;
}

/** The labels most rows share, printed once; rows measuring something else say so below. */
function commonLabels(results: readonly BenchResult[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(labels(r), (counts.get(labels(r)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function targetCell(r: BenchResult): [string, string] {
  if (!r.target) return ['—', '—'];
  const op = r.better === 'lower' ? '≤' : '≥';
  if (r.target.text) return [r.target.text, r.target.met ? 'yes' : 'NO'];
  return [`${op} ${formatRatio(r.target.ratio)}`, r.target.met ? 'yes' : 'NO'];
}

/** One suite's results as a table, with what was measured against what, and the notes. */
export function renderSuite(name: string, description: string, results: readonly BenchResult[], durationMs: number): string {
  const lines = [`■ ${name} — ${description} (${(durationMs / 1000).toFixed(1)} s)`];
  const common = commonLabels(results);
  if (common) lines.push(`  ${common}`);
  const header = ['benchmark', 'n', 'figure p50', 'p99', 'baseline p50', 'p99', 'ratio p50', 'ratio p99', 'target', 'met'];
  const rows = results.map((r) => [
    r.name,
    r.figure.stats.n === r.baseline.stats.n ? String(r.figure.stats.n) : `${r.figure.stats.n}/${r.baseline.stats.n}`,
    formatValue(r.figure.stats.p50, r.figure.unit),
    formatValue(r.figure.stats.p99, r.figure.unit),
    formatValue(r.baseline.stats.p50, r.baseline.unit),
    formatValue(r.baseline.stats.p99, r.baseline.unit),
    formatRatio(r.ratio),
    formatRatio(r.ratioP99),
    ...targetCell(r),
  ]);
  lines.push(renderTable(header, rows));
  for (const r of results) {
    if (labels(r) !== common) lines.push(`  ${r.name}: ${labels(r)}`);
    for (const note of r.notes) lines.push(`  ${r.name}: ${note}`);
  }
  return lines.join('\n');
}
