/**
 * Cleanups that must also run when the run is interrupted (Ctrl-C): a suite registers what it
 * created, the runner calls `runCleanups` on SIGINT/SIGTERM. Normal paths still use finally.
 */
const pending = new Set<() => Promise<void>>();

/** Registers `fn` until the returned function is called (after the suite cleaned up itself). */
export function onInterrupt(fn: () => Promise<void>): () => void {
  pending.add(fn);
  return () => {
    pending.delete(fn);
  };
}

export async function runCleanups(): Promise<void> {
  const fns = [...pending];
  pending.clear();
  await Promise.allSettled(fns.map((fn) => fn()));
}
