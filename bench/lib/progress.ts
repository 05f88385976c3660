/** Progress goes to stderr so stdout holds only the report. */
export function progress(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}
