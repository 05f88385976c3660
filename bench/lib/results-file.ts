import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { BenchResult } from './types';

export interface SuiteOutcome {
  name: string;
  description: string;
  durationMs: number;
  results: BenchResult[];
  /** Set when the suite failed; its results are then whatever it returned before (none). */
  error?: string;
}

/** Writes the whole run, with the machine it ran on, to `bench/results/latest.json`. */
export async function writeResults(outcomes: readonly SuiteOutcome[], startedAt: Date, loadAtStart: readonly number[]): Promise<string> {
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL('latest.json', dir);
  const cpus = os.cpus();
  const doc = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${os.platform()} ${os.release()}`, arch: os.arch(), cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', loadAvgAtStart: loadAtStart },
    suites: outcomes,
  };
  await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file.pathname;
}
