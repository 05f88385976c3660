/**
 * Builds the web app when `web/build` is missing or older than its sources (the app, the SDK it
 * bundles, the build configuration). Cheap when up to date: one walk over file times.
 * `npm start` runs it first; the browser tests call `ensureWebBuild()`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = join(ROOT, 'web/build/index.html');
const SOURCES = ['web/src', 'web/static', 'web/svelte.config.js', 'web/vite.config.ts', 'sdk/src', 'package-lock.json'];

function newestIn(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, name)));
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(OUTPUT)) return true;
  const built = statSync(OUTPUT).mtimeMs;
  return SOURCES.some((s) => newestIn(join(ROOT, s)) > built);
}

/** Builds if needed; throws when the build fails. Returns whether it built. */
export function ensureWebBuild(options: { quiet?: boolean } = {}): boolean {
  if (!webBuildIsStale()) return false;
  if (!options.quiet) console.log('Building the web app (web/build is missing or older than its sources)…');
  const r = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: ROOT, stdio: options.quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the web build failed${options.quiet ? `:\n${r.stdout}\n${r.stderr}` : ''}`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureWebBuild();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
