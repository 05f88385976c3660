/**
 * The images, built from local files and run the way production runs them: read-only root,
 * no capabilities, user 10001, against the real PostgreSQL and Redis on 127.0.0.1. Also checks
 * both compose files. Under CI=true a missing Docker engine or docker-compose fails the run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, hasService, REDIS_URL, uniqueName, type TempDatabase } from '../../testkit/services';
import { buildImages, imageTag, ROOT, run, type BuildResult } from '../build';

const CI = process.env.CI === 'true';

function unavailable(why: string): false {
  if (CI) throw new Error(`${why} (CI=true: the image tests must run)`);
  console.warn(`[tests] skipping the image tests: ${why}`);
  return false;
}

/** The engine answers, started here when it is installed but not running (root only). */
async function dockerReady(): Promise<boolean> {
  if ((await run('docker', ['info']).catch(() => ({ status: 127, output: '' }))).status === 0) return true;
  if ((await run('sh', ['-c', 'command -v dockerd'])).status !== 0) return unavailable('Docker is not installed (apt-get install -y docker.io)');
  if (process.getuid?.() !== 0) return unavailable('the Docker engine is not running and only root can start it');
  const log = openSync(join(tmpdir(), 'sightline-dockerd.log'), 'a');
  spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref();
  closeSync(log);
  for (let i = 0; i < 60; i++) {
    if ((await run('docker', ['info'])).status === 0) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return unavailable(`dockerd did not come up in 60 s (log: ${join(tmpdir(), 'sightline-dockerd.log')})`);
}

const ready = (await dockerReady()) && (await hasService('postgres')) && (await hasService('redis'));

async function docker(...args: string[]): Promise<string> {
  const r = await run('docker', args);
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${r.status}): ${r.output.trim().slice(-2000)}`);
  return r.output.trim();
}

/** Runs a command with `input` on its stdin, to its end. */
function runWithInput(cmd: string, args: string[], input: string): Promise<{ status: number; output: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ status: code ?? 1, output }));
    child.stdin.end(input);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>, diagnose: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms\n${await diagnose()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs the HEALTHCHECK command the image declares, inside the container, as Docker would. */
async function runHealthcheck(container: string): Promise<{ status: number; output: string }> {
  const test = JSON.parse(await docker('inspect', container, '--format', '{{json .Config.Healthcheck.Test}}')) as string[];
  expect(test[0]).toBe('CMD');
  return run('docker', ['exec', container, ...test.slice(1)]);
}

const HARDENED = ['--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '--user', '10001', '--network', 'host'];

describe.skipIf(!ready)('docker images', () => {
  let results: BuildResult[] = [];
  let db: TempDatabase;
  const prefix = uniqueName('sl_docker');
  const containers: string[] = [];
  let port = 0;
  let api = '';
  const secretKey = randomBytes(32).toString('hex');

  const appEnv = () => [
    '-e', `DATABASE_URL=${db.url}`,
    '-e', `REDIS_URL=${REDIS_URL}`,
    '-e', `REDIS_PREFIX=${prefix}`,
    '-e', `SIGHTLINE_SECRET_KEY=${secretKey}`,
    '-e', 'LOG_LEVEL=warn',
  ];

  async function start(name: string, image: string, args: string[]): Promise<string> {
    const container = `${prefix}_${name}`;
    containers.push(container);
    await docker('run', '-d', '--name', container, ...HARDENED, ...args, image);
    return container;
  }

  beforeAll(async () => {
    // Unchanged inputs (hash label) skip the build: only the first run builds everything.
    results = await buildImages(['api', 'worker', 'sandbox'], (line) => console.log(`[docker] ${line}`));
    for (const r of results) console.log(`[docker] ${r.tag} ${r.sizeMB} MB ${r.built ? `built in ${r.seconds.toFixed(0)} s` : 'up to date'}`);
    db = await createPgDatabase('sl_docker');
    port = await freePort();
    api = await start('api', imageTag('api'), [...appEnv(), '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1']);
    await until(
      'the API container answers /health',
      90_000,
      async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined),
      async () => (await run('docker', ['logs', '--tail', '40', api])).output,
    );
  }, 900_000);

  afterAll(async () => {
    for (const c of containers) await run('docker', ['rm', '-f', '-v', c]);
    await db?.drop();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  }, 60_000);

  it('images run as user 10001 and have no shell', async () => {
    for (const name of ['api', 'worker', 'sandbox'] as const) {
      expect(await docker('image', 'inspect', imageTag(name), '--format', '{{.Config.User}}')).toBe('10001');
      const uid = await docker('run', '--rm', '--network', 'none', '--entrypoint', 'node', imageTag(name), '-e', 'process.stdout.write(String(process.getuid()))');
      expect(uid, name).toBe('10001');
      expect((await run('docker', ['run', '--rm', '--network', 'none', '--entrypoint', '/bin/sh', imageTag(name), '-c', 'true'])).status, name).not.toBe(0);
    }
    expect(await docker('exec', api, 'node', '-e', 'process.stdout.write(String(process.getuid()))')).toBe('10001');
  }, 60_000);

  it('the API answers /health and a signUp, and its own health check passes', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
        variables: { input: { email: `${prefix}@example.com`, password: 'correct horse battery', organizationName: 'Acme' } },
      }),
    });
    const body = (await res.json()) as { data?: { signUp: { token: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.signUp.token).toMatch(/\S{20,}/);
    expect((await runHealthcheck(api)).status).toBe(0);
  }, 30_000);

  it('the root file system is read-only; /data (the volume) is the one writable place', async () => {
    const write = (path: string) =>
      run('docker', ['exec', api, 'node', '-e', `require('fs').writeFileSync(${JSON.stringify(path)}, 'x')`]);
    const app = await write('/app/bin/x.ts');
    expect(app.status).not.toBe(0);
    expect(app.output).toMatch(/EROFS|EACCES/);
    expect((await write('/tmp/x')).status).not.toBe(0);
    expect((await write('/data/probe')).status).toBe(0);
  }, 30_000);

  it('a worker starts on its queues and its health check (process and Redis) passes', async () => {
    const worker = await start('worker', imageTag('worker'), [...appEnv(), '-e', 'WORKER_QUEUES=queries,datasource-ops']);
    await until(
      'the worker says it is running',
      90_000,
      async () => {
        const { output } = await run('docker', ['logs', worker]);
        if (/Queues: queries, datasource-ops/.test(output)) return true;
        if ((await docker('inspect', worker, '--format', '{{.State.Running}}')) !== 'true') throw new Error(`worker exited:\n${output}`);
        return undefined;
      },
      async () => (await run('docker', ['logs', '--tail', '40', worker])).output,
    );
    const check = await runHealthcheck(worker);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  }, 120_000);

  it('the sandbox runs a script given on stdin with the SDK against the API, and nothing else', async () => {
    // What workers/scripts writes to the bootstrap: the compiled module (imports already
    // absolute file: URLs) and the token. No SIGHTLINE_API_SOCKET here, so no bridge: on the
    // host network the script calls the API directly.
    const code = `import { login } from 'file:///node_modules/@sightline/sdk/dist/index.js';
import { writeFileSync } from 'node:fs';
const out = {};
const client = await login('http://127.0.0.1:${port}', '${prefix}@example.com', 'correct horse battery');
out.datasources = (await client.datasources.list()).items.map((d) => d.name);
try { writeFileSync('/sandbox/x', 'x'); out.write = 'allowed'; } catch (e) { out.write = e.code; }
try { (await import('node:child_process')).execFileSync('node', ['-v']); out.spawn = 'allowed'; } catch (e) { out.spawn = e.code; }
out.uid = process.getuid();
out.token = process.env.SIGHTLINE_TOKEN;
out.webSocket = typeof WebSocket;
console.log(JSON.stringify(out));
process.exit(0);
`;
    const { status, output } = await runWithInput(
      'docker',
      ['run', '--rm', '-i', ...HARDENED, imageTag('sandbox')],
      JSON.stringify({ code, token: 'tok_from_stdin' }),
    );
    expect(status, output).toBe(0);
    const out = JSON.parse(output.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(out).toMatchObject({ write: 'ERR_ACCESS_DENIED', spawn: 'ERR_ACCESS_DENIED', uid: 10001, token: 'tok_from_stdin', webSocket: 'function' });
    expect(out.datasources).toEqual(expect.arrayContaining([expect.stringMatching(/sample/i)]));
  }, 60_000);
});

describe.skipIf(!ready)('the reports worker image', () => {
  it("renders a PDF in its own Chromium, read-only, without capabilities or network, with fonts for the text", async () => {
    const [built] = await buildImages(['reports'], (line) => console.log(`[docker] ${line}`));
    console.log(`[docker] ${built!.tag} ${built!.sizeMB} MB ${built!.built ? `built in ${built!.seconds.toFixed(0)} s` : 'up to date'}`);
    // The renderer's own launch flags, and a page with text, printed as the renderer prints.
    const program = `import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const page = await (await browser.newContext()).newPage();
await page.setContent('<h1>Regional sales 20,200</h1><p>Anvils and bellows</p>');
const pdf = await page.pdf({ format: 'A4' });
await browser.close();
console.log('PDF ' + pdf.toString('base64'));
`;
    const { status, output } = await runWithInput('docker', ['run', '--rm', '-i', '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '--user', '10001', '--network', 'none', built!.tag, 'node', '--input-type=module', '-'], program);
    expect(status, output.slice(-2000)).toBe(0);
    const pdf = Buffer.from(output.split('\n').find((l) => l.startsWith('PDF '))!.slice(4), 'base64');
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const dir = mkdtempSync(join(tmpdir(), 'sightline-reports-image-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const text = (await run('pdftotext', [join(dir, 'r.pdf'), '-'])).output;
      expect(text).toContain('Regional sales 20,200');
      expect(text).toContain('Anvils and bellows');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

const compose = (await run('sh', ['-c', 'command -v docker-compose']).catch(() => ({ status: 1, output: '' }))).status === 0
  || unavailable('docker-compose is not installed (apt-get install -y docker-compose)');

describe.skipIf(!compose)('compose files', () => {
  it('docker/compose.yml and docker/compose.dev.yml are valid (docker-compose config -q)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-compose-'));
    try {
      // A filled-in env file, as an operator would write from sightline.env.example.
      const envFile = join(dir, 'sightline.env');
      writeFileSync(envFile, `SIGHTLINE_SECRET_KEY=${randomBytes(32).toString('hex')}\nPOSTGRES_PASSWORD=${randomBytes(12).toString('hex')}\n`);
      const env = { SIGHTLINE_ENV_FILE: envFile };
      const full = await run('docker-compose', ['-f', 'docker/compose.yml', '--env-file', envFile, 'config', '-q'], env);
      expect(full.output.trim()).toBe('');
      expect(full.status).toBe(0);
      const dev = await run('docker-compose', ['-f', 'docker/compose.dev.yml', 'config', '-q']);
      expect(dev.output.trim()).toBe('');
      expect(dev.status).toBe(0);
      // Without the password the stack refuses to be configured rather than start unprotected.
      const bare = await run('docker-compose', ['-f', 'docker/compose.yml', 'config', '-q'], { ...env, POSTGRES_PASSWORD: '' });
      expect(bare.status).not.toBe(0);
      expect(existsSync(join(ROOT, 'docker/sightline.env.example'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
