/** Limits as a user reads them in messages: `5 s`, `1.5 min`, `64 MB`. */

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 120) return `${round(seconds)} s`;
  const minutes = seconds / 60;
  if (minutes < 120) return `${round(minutes)} min`;
  return `${round(minutes / 60)} h`;
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${round(value)} ${units[unit]}`;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
