/**
 * Builds the images from local files only, each only when its inputs changed:
 *
 *   npm run docker:build                 base, api, worker, sandbox (web when web/build exists, reports when Chromium is installed)
 *   npm run docker:build -- api worker   just those (the base images are always brought up to date)
 *
 * Every image carries the label `sightline.inputs`: a hash of its Dockerfile, its base image and
 * the files it copies. An image whose label matches is not rebuilt, so a second run takes
 * seconds. SIGHTLINE_REBUILD=1 rebuilds anyway.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export type ImageName = 'api' | 'worker' | 'sandbox' | 'web' | 'reports';
export const IMAGE_NAMES: readonly ImageName[] = ['api', 'worker', 'sandbox', 'web', 'reports'];

export const imageTag = (name: ImageName) => `sightline/${name}:local`;

const APP_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'docker/base/prune-modules.mjs'];
const APP_DIRS = ['migrations', 'query', 'schema', 'infra', 'workers', 'api', 'bin'];

/** What each image is made of, as .dockerignore lets it into the build context. */
const INPUTS: Record<ImageName, { base: string; files: string[]; dirs: string[] }> = {
  api: { base: 'sightline/base:local', files: APP_FILES, dirs: APP_DIRS },
  worker: { base: 'sightline/base:local', files: APP_FILES, dirs: APP_DIRS },
  reports: { base: 'sightline/chromium:local', files: APP_FILES, dirs: APP_DIRS },
  sandbox: {
    base: 'sightline/base:local',
    files: ['sdk/package.json', 'sdk/tsconfig.json', 'sdk/README.md'],
    dirs: ['sdk/src', 'docker/sandbox'],
  },
  web: { base: 'sightline/nginx:local', files: ['docker/web/nginx.conf'], dirs: ['web/build'] },
};

// Mirrors .dockerignore for the folders above: tests never reach an image.
const ignored = (rel: string) => /(^|\/)test(\/|$)|\.test\.ts$|(^|\/)\.DS_Store$/.test(rel);

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const rel = relative(ROOT, full);
    if (ignored(rel)) continue;
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(rel);
  }
}

/** Runs a command to its end; asynchronous so that a long build does not block a test worker. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; output: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ status: code ?? 1, output }));
  });
}

export async function must(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await run(cmd, args, env);
  if (r.status !== 0) {
    const tail = r.output.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${tail}`);
  }
  return r.output;
}

export async function inspect(image: string, format: string): Promise<string | null> {
  const r = await run('docker', ['image', 'inspect', image, '--format', format]);
  return r.status === 0 ? r.output.trim() : null;
}

/** The hash an image's label must carry for it to be current. */
export async function inputsHash(name: ImageName): Promise<string> {
  const spec = INPUTS[name];
  const files = [`docker/${name}.Dockerfile`, '.dockerignore', ...spec.files];
  for (const dir of spec.dirs) walk(join(ROOT, dir), files);
  // node_modules is too large to hash on every run; npm rewrites this file whenever the
  // installed tree changes, and the lockfile is hashed beside it.
  if (name !== 'web') files.push('node_modules/.package-lock.json');
  const h = createHash('sha256');
  h.update(`base ${(await inspect(spec.base, '{{.Id}}')) ?? 'missing'}\n`);
  for (const rel of [...new Set(files)].sort()) {
    const full = join(ROOT, rel);
    const digest = existsSync(full) && statSync(full).isFile() ? createHash('sha256').update(readFileSync(full)).digest('hex') : 'missing';
    h.update(`${rel} ${digest}\n`);
  }
  return h.digest('hex').slice(0, 32);
}

export interface BuildResult {
  name: ImageName;
  tag: string;
  built: boolean;
  seconds: number;
  sizeMB: number;
}

/** The base images the named ones need (docker/base/build-base.sh: fast when they are current). */
export async function buildBase(names: readonly ImageName[]): Promise<void> {
  await must('bash', ['docker/base/build-base.sh', 'node']);
  if (names.includes('web')) await must('bash', ['docker/base/build-base.sh', 'nginx']);
  if (names.includes('reports')) await must('bash', ['docker/base/build-base.sh', 'chromium']);
}

export async function buildImage(name: ImageName, log: (line: string) => void = () => {}): Promise<BuildResult> {
  const tag = imageTag(name);
  const started = Date.now();
  const hash = await inputsHash(name);
  const current = await inspect(tag, '{{ index .Config.Labels "sightline.inputs" }}');
  let built = false;
  if (current !== hash || process.env.SIGHTLINE_REBUILD === '1') {
    if (name === 'web' && !existsSync(join(ROOT, 'web/build/index.html'))) {
      throw new Error('web/build is missing: build the web app first');
    }
    log(`building ${tag}`);
    const previous = await inspect(tag, '{{.Id}}');
    // The classic builder: the daemon here is 20.10 and the CLI may have no buildx plugin;
    // nothing in these Dockerfiles needs BuildKit.
    await must('docker', ['build', '-q', '-f', `docker/${name}.Dockerfile`, '-t', tag, '--label', `sightline.inputs=${hash}`, '.'], {
      DOCKER_BUILDKIT: '0',
    });
    const now = await inspect(tag, '{{.Id}}');
    // The image it replaces would linger untagged; intermediate layers stay as the build cache.
    if (previous && previous !== now) await run('docker', ['image', 'rm', previous]);
    built = true;
  }
  const size = Number((await inspect(tag, '{{.Size}}')) ?? 0);
  return { name, tag, built, seconds: (Date.now() - started) / 1000, sizeMB: Math.round(size / 1e6) };
}

export async function buildImages(names: readonly ImageName[], log: (line: string) => void = () => {}): Promise<BuildResult[]> {
  await buildBase(names);
  // One at a time: builds share the layer cache (api and worker have the same first stage).
  const results: BuildResult[] = [];
  for (const name of names) results.push(await buildImage(name, log));
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(IMAGE_NAMES as readonly string[]).includes(a));
  if (unknown.length) {
    console.error(`unknown image ${unknown.join(', ')} (known: ${IMAGE_NAMES.join(', ')})`);
    process.exit(2);
  }
  const names: ImageName[] = asked.length
    ? (asked as ImageName[])
    : IMAGE_NAMES.filter((n) => (n !== 'web' || existsSync(join(ROOT, 'web/build/index.html'))) && (n !== 'reports' || existsSync('/usr/lib/chromium/chromium')));
  buildImages(names, (line) => console.log(line)).then(
    (results) => {
      for (const r of results) {
        console.log(`${r.tag}  ${r.sizeMB} MB  ${r.built ? `built in ${r.seconds.toFixed(1)} s` : 'up to date'}`);
      }
    },
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
