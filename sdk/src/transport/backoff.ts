/**
 * Waits before a reconnect attempt: exponential from `baseMs`, capped at `maxMs`, with full
 * jitter so many displays cut off together do not reconnect in the same instant.
 */
export function backoff(baseMs: number, maxMs: number, random: () => number = Math.random) {
  return (attempt: number): Promise<void> => {
    const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
    const delay = ceiling / 2 + random() * (ceiling / 2);
    return new Promise((resolve) => setTimeout(resolve, delay));
  };
}
