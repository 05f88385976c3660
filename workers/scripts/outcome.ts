/** How a finished container becomes what the user reads about their run. */
import { constants } from 'node:os';
import { formatBytes, formatDuration } from './units';
import type { ScriptLimits, ScriptStatus } from './types';

export interface ContainerEnd {
  /** Set when the runner killed it: for its time limit, or because the run was cancelled. */
  killedFor: 'timeout' | 'cancelled' | null;
  exitCode: number | null;
  oomKilled: boolean;
  /** node said its JavaScript heap was exhausted (isHeapExhaustedLine). */
  heapExhausted: boolean;
  runMs: number;
}

// The first name of each number: SIGABRT rather than its alias SIGIOT.
const SIGNAL_NAMES = new Map<number, string>();
for (const [name, number] of Object.entries(constants.signals)) if (!SIGNAL_NAMES.has(number)) SIGNAL_NAMES.set(number, name);

/**
 * node sizes its heap from the container's memory (about half of it above 512 MB), so a script
 * filling the heap often dies of V8's own fatal error before the kernel's OOM killer acts.
 */
export function isHeapExhaustedLine(stream: 'stdout' | 'stderr', text: string): boolean {
  return stream === 'stderr' && /^FATAL ERROR: .*JavaScript heap out of memory/.test(text);
}

export function describeEnd(end: ContainerEnd, limits: ScriptLimits): { status: ScriptStatus; message: string } {
  if (end.killedFor === 'cancelled') return { status: 'cancelled', message: 'cancelled while it was running' };
  if (end.killedFor === 'timeout') return { status: 'timeout', message: `killed after its time limit of ${formatDuration(limits.timeoutMs)}` };
  if (end.oomKilled) return { status: 'oom', message: `killed: it used more than its memory limit of ${formatBytes(limits.memoryBytes)}` };
  // A crash by signal after V8's fatal heap error, not an exit the script chose.
  if (end.heapExhausted && end.exitCode !== null && end.exitCode > 128) {
    return { status: 'oom', message: `killed: it ran out of memory for JavaScript objects within its memory limit of ${formatBytes(limits.memoryBytes)}` };
  }
  if (end.exitCode === 0) return { status: 'succeeded', message: `finished in ${formatDuration(end.runMs)}` };
  if (end.exitCode !== null && end.exitCode > 128 && SIGNAL_NAMES.has(end.exitCode - 128)) {
    return { status: 'failed', message: `killed by signal ${SIGNAL_NAMES.get(end.exitCode - 128)} (exit code ${end.exitCode})` };
  }
  return { status: 'failed', message: `exited with code ${end.exitCode ?? 'unknown'}` };
}
