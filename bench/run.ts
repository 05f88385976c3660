/**
 * `npm run bench [-- <suite> ...] [--strict]`: runs the suites of `bench/suites/` (all, or the
 * ones named), prints a table per suite and writes `bench/results/latest.json`. A failing suite
 * makes the exit code 1; a missed target does too under `--strict` only, since figures depend on
 * the machine and a report is still worth having.
 */
import os from 'node:os';
import { runCleanups } from './lib/cleanup';
import { loadSuite, suiteNames } from './lib/load-suites';
import { renderSuite } from './lib/report';
import { writeResults, type SuiteOutcome } from './lib/results-file';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const strict = args.includes('--strict');
  const unknownFlags = args.filter((a) => a.startsWith('-') && a !== '--strict');
  if (unknownFlags.length > 0) throw new Error(`unknown option ${unknownFlags.join(', ')} (usage: npm run bench -- [suite ...] [--strict])`);
  const available = await suiteNames();
  const requested = args.filter((a) => !a.startsWith('-'));
  const missing = requested.filter((n) => !available.includes(n));
  if (missing.length > 0) throw new Error(`no suite named ${missing.join(', ')}; suites: ${available.join(', ')}`);
  const selected = requested.length > 0 ? requested : available;

  const startedAt = new Date();
  // Other processes on the machine skew figures and baselines alike, parallel plans most.
  const loadAtStart = os.loadavg();
  console.log(`${os.cpus().length} CPU(s), load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}`);
  const outcomes: SuiteOutcome[] = [];
  for (const name of selected) {
    const t0 = performance.now();
    let description = '';
    process.stderr.write(`▶ ${name}\n`);
    try {
      const suite = await loadSuite(name);
      description = suite.description;
      const results = await suite.run();
      const durationMs = performance.now() - t0;
      outcomes.push({ name, description, durationMs, results });
      console.log(`\n${renderSuite(name, description, results, durationMs)}`);
    } catch (err) {
      // An interrupted suite fails as its services go away; the cleanups are what matters then.
      if (interrupted) return 130;
      const durationMs = performance.now() - t0;
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      outcomes.push({ name, description, durationMs, results: [], error });
      console.log(`\n■ ${name} — FAILED after ${(durationMs / 1000).toFixed(1)} s\n${error}`);
    }
  }

  const file = await writeResults(outcomes, startedAt, loadAtStart);
  const failed = outcomes.filter((o) => o.error !== undefined).map((o) => o.name);
  const missed = outcomes.flatMap((o) => o.results.filter((r) => r.target && !r.target.met).map((r) => `${o.name}: ${r.name}`));
  console.log(`\n${outcomes.length} suite(s), ${failed.length} failed, ${missed.length} target(s) missed; results in ${file}`);
  for (const m of missed) console.log(`  target missed — ${m}`);
  return failed.length > 0 || (strict && missed.length > 0) ? 1 : 0;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\n${signal}: removing what the running suite created…\n`);
    void runCleanups().finally(() => process.exit(130));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
