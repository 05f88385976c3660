/** How a finished container becomes what the user reads about their run. */
import { constants } from 'node:os';
import { formatBytes, formatDuration } from './units';
import type { ScriptLimits, ScriptStatus } from './types';

export interface ContainerEnd {
  /** Set when the runner killed it: for its time limit, or because the run was cancelled. */
  killedFor: 'timeout' | 'cancelled' | null;
  exitCode: number | null;
  oomKilled: boolean;
  /** The last lines it printed on stderr, to recognise V8's own out-of-memory abort. */
  stderrTail: readonly string[];
  runMs: number;
}

// The first name of each number: SIGABRT rather than its alias SIGIOT.
const SIGNAL_NAMES = new Map<number, string>();
for (const [name, number] of Object.entries(constants.signals)) if (!SIGNAL_NAMES.has(number)) SIGNAL_NAMES.set(number, name);

// Above a V8 heap limit below the container's memory, node aborts on its own (exit 134).
const HEAP_EXHAUSTED = /JavaScript heap out of memory|Reached heap limit/;

export function describeEnd(end: ContainerEnd, limits: ScriptLimits): { status: ScriptStatus; message: string } {
  if (end.killedFor === 'cancelled') return { status: 'cancelled', message: 'cancelled while it was running' };
  if (end.killedFor === 'timeout') return { status: 'timeout', message: `killed after its time limit of ${formatDuration(limits.timeoutMs)}` };
  if (end.oomKilled || end.stderrTail.some((line) => HEAP_EXHAUSTED.test(line))) {
    return { status: 'oom', message: `killed: it used more than its memory limit of ${formatBytes(limits.memoryBytes)}` };
  }
  if (end.exitCode === 0) return { status: 'succeeded', message: `finished in ${formatDuration(end.runMs)}` };
  if (end.exitCode !== null && end.exitCode > 128 && SIGNAL_NAMES.has(end.exitCode - 128)) {
    return { status: 'failed', message: `killed by signal ${SIGNAL_NAMES.get(end.exitCode - 128)} (exit code ${end.exitCode})` };
  }
  return { status: 'failed', message: `exited with code ${end.exitCode ?? 'unknown'}` };
}
