/**
 * Whether the browser tests can run: Debian's Chromium (never a downloaded one). Locally a
 * missing Chromium skips them with a warning; under CI=true it fails the run.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../browser-pool';

export function hasChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const why = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (process.env['CI'] === 'true') throw new Error(`${why} (CI=true: a missing browser fails the run)`);
  console.warn(`[tests] skipping the report renderer's browser tests: ${why}`);
  return false;
}
