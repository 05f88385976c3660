/**
 * User scripts in real sandbox containers: outcomes, output, limits, cancellation, isolation
 * and the way to the API. Every run creates its own container and the runner removes it; the
 * API is a stand-in HTTP server on the host's 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertSandboxImage,
  containerRuntime,
  DEFAULT_SANDBOX_IMAGE,
  isScriptRunnerError,
  removeStaleScriptContainers,
  runScript,
  SCRIPT_LABEL,
  type LogLine,
  type ScriptOutcome,
  type ScriptSpec,
} from '../index';
import { buildSandboxImage, dockerForTests, findRunContainer } from './docker-for-tests';
import { startFakeApi, VIEWER, type FakeApi } from './fake-api';

const docker = await dockerForTests();
const MB = 1024 * 1024;
const LIMITS = { timeoutMs: 30_000, memoryBytes: 128 * MB, nanoCpus: 1_000_000_000, pidsLimit: 64, logBytes: 64 * 1024 };

interface Run {
  outcome: ScriptOutcome;
  lines: LogLine[];
  stdout: string[];
  stderr: string[];
}

describe.skipIf(!docker)('runScript', () => {
  const dockerode = docker!;
  let api: FakeApi;

  const spec = (code: string, extra: Partial<ScriptSpec> = {}): ScriptSpec => ({
    code,
    runtime: 'javascript',
    apiTarget: { host: '127.0.0.1', port: api.port },
    token: 'tok_test_secret',
    limits: LIMITS,
    ...extra,
  });

  async function run(code: string, extra: Partial<ScriptSpec> = {}, onLine?: (line: LogLine) => void, signal?: AbortSignal): Promise<Run> {
    const lines: LogLine[] = [];
    const outcome = await runScript(dockerode, spec(code, extra), {
      ...(signal ? { signal } : {}),
      onLog: (line) => {
        lines.push(line);
        onLine?.(line);
      },
    });
    const of = (stream: LogLine['stream']) => lines.filter((l) => l.stream === stream).map((l) => l.text);
    return { outcome, lines, stdout: of('stdout'), stderr: of('stderr') };
  }

  beforeAll(async () => {
    await buildSandboxImage();
    api = await startFakeApi();
  }, 600_000);

  afterAll(async () => {
    await api?.close();
    // The runner removes its containers; one left here would be a bug the tests should show.
    const left = await dockerode.listContainers({ all: true, filters: { label: [SCRIPT_LABEL] } });
    expect(left).toEqual([]);
  });

  it('a script that prints and exits 0 succeeds, its lines streamed in order while it runs', async () => {
    const taskId = randomUUID();
    let runningWhenFirstLine: Promise<boolean | undefined> | undefined;
    const { outcome, stdout, stderr, lines } = await run(
      `console.log('line 1');
console.error('warning 1');
console.log('line 2');
await fetch(process.env.SIGHTLINE_URL + '/wait/${taskId}');
for (let i = 3; i <= 5; i++) console.log('line ' + i);
console.log('no newline at the end');
process.stdout.write('é 🎉 and a partial line');`,
      { env: { SIGHTLINE_TASK_ID: taskId } },
      (line) => {
        if (line.text !== 'line 1') return;
        // The script is held on /wait: the line arrived while it was still running.
        runningWhenFirstLine = findRunContainer(dockerode, taskId)
          .then((info) => info?.State.Running)
          .finally(() => api.release(taskId));
      },
    );
    expect(await runningWhenFirstLine).toBe(true);
    expect(outcome).toMatchObject({ status: 'succeeded', exitCode: 0, logTruncated: false });
    expect(outcome.message).toMatch(/^finished in /);
    expect(stdout).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'no newline at the end', 'é 🎉 and a partial line']);
    expect(stderr).toEqual(['warning 1']);
    expect(lines.every((l, i) => i === 0 || l.at >= lines[i - 1]!.at)).toBe(true);
    expect(await findRunContainer(dockerode, taskId)).toBeNull();
  }, 60_000);

  it('runs TypeScript with types, and maps an uncaught error to the line and column written', async () => {
    const { outcome, stdout, stderr } = await run(
      `interface Point { x: number; y: number }
const norm = (p: Point): number => Math.hypot(p.x, p.y);
console.log('norm', norm({ x: 3, y: 4 }));
type Id = string;
function fail(id: Id): never {
  throw new Error('no such id ' + id);
}
fail('42' as Id);`,
      { runtime: 'typescript' },
    );
    expect(stdout).toEqual(['norm 5']);
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 1, message: 'exited with code 1' });
    expect(stderr[0]).toBe('Error: no such id 42');
    expect(stderr.join('\n')).toMatch(/at fail \(script\.ts:6:9\)/);
    expect(stderr.join('\n')).toMatch(/script\.ts:8:1/);
    expect(stderr.join('\n')).not.toMatch(/data:|\/tmp\/|\/work\//);
  }, 60_000);

  it('an unhandled rejection and a non-zero exit code fail with that code', async () => {
    const rejected = await run(`await new Promise((_, reject) => setTimeout(() => reject(new TypeError('bad input')), 10));`);
    expect(rejected.outcome).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(rejected.stderr[0]).toBe('TypeError: bad input');
    const exited = await run(`console.log('partial work'); process.exitCode = 3;`);
    expect(exited.outcome).toMatchObject({ status: 'failed', exitCode: 3, message: 'exited with code 3' });
    expect(exited.stdout).toEqual(['partial work']);
  }, 60_000);

  it('a syntax error fails with its line and column, and no container is started', async () => {
    // Any use of Docker would throw: the run must end before asking it anything.
    const noDocker = new Proxy({} as typeof dockerode, {
      get() {
        throw new Error('Docker was used');
      },
    });
    const lines: LogLine[] = [];
    const outcome = await runScript(noDocker, spec(`const total = 1;\nconsole.log(total +);\n`, { runtime: 'typescript' }), {
      onLog: (l) => lines.push(l),
    });
    expect(outcome).toMatchObject({ status: 'failed', exitCode: null, containerRuntime: null });
    expect(outcome.message).toBe('does not compile: script.ts:2:20: Unexpected ")"');
    expect(lines.map((l) => l.text)).toEqual(['script.ts:2:20: Unexpected ")"']);

    const imports = await runScript(noDocker, spec(`import _ from 'lodash';\n`));
    expect(imports.status).toBe('failed');
    expect(imports.message).toMatch(/script\.js:1:15: cannot import "lodash": only @sightline\/sdk.*can be imported/);
  }, 30_000);

  it('an endless loop is killed at its time limit', async () => {
    const { outcome } = await run(`console.log('spinning'); while (true) {}`, { limits: { ...LIMITS, timeoutMs: 3000 } });
    expect(outcome).toMatchObject({ status: 'timeout', message: 'killed after its time limit of 3 s' });
  }, 60_000);

  it('a script using more memory than allowed is reported as out of memory', async () => {
    const { outcome } = await run(
      `const kept = [];
for (let i = 0; i < 50; i++) kept.push(Buffer.alloc(10 * 1024 * 1024, 1));
console.log('allocated', kept.length);`,
      { limits: { ...LIMITS, memoryBytes: 64 * MB } },
    );
    expect(outcome).toMatchObject({ status: 'oom', message: 'killed: it used more than its memory limit of 64 MB' });
  }, 60_000);

  it('a script filling its JavaScript heap is reported as out of memory too', async () => {
    // node's heap limit is about 256 MB here, below the container's 512 MB: V8 gives up first.
    const { outcome, stderr } = await run(`const kept = []; for (;;) kept.push({ n: Math.random(), list: [1, 2, 3] });`, {
      limits: { ...LIMITS, memoryBytes: 512 * MB },
    });
    expect(stderr.some((l) => /JavaScript heap out of memory/.test(l))).toBe(true);
    expect(outcome).toMatchObject({ status: 'oom', message: 'killed: it ran out of memory for JavaScript objects within its memory limit of 512 MB' });
  }, 120_000);

  it('an abort while it runs cancels it, and its container is gone', async () => {
    const taskId = randomUUID();
    const controller = new AbortController();
    let seenRunning: Promise<boolean | undefined> | undefined;
    const { outcome, stdout } = await run(
      `console.log('started'); await fetch(process.env.SIGHTLINE_URL + '/wait/${taskId}');`,
      { env: { SIGHTLINE_TASK_ID: taskId } },
      (line) => {
        if (line.text !== 'started') return;
        seenRunning = findRunContainer(dockerode, taskId)
          .then((info) => info?.State.Running)
          .finally(() => controller.abort());
      },
      controller.signal,
    );
    expect(await seenRunning).toBe(true);
    expect(stdout[0]).toBe('started');
    expect(outcome).toMatchObject({ status: 'cancelled', message: 'cancelled while it was running' });
    expect(await findRunContainer(dockerode, taskId)).toBeNull();
  }, 60_000);

  it('an abort before the run starts cancels it without a container', async () => {
    const outcome = await runScript(dockerode, spec(`console.log('never')`), { signal: AbortSignal.abort() });
    expect(outcome).toMatchObject({ status: 'cancelled', exitCode: null, message: 'cancelled before it started' });
  });

  it('output beyond the log limit is dropped with one notice', async () => {
    const { outcome, lines } = await run(`for (let i = 0; i < 2000; i++) console.log('row ' + String(i).padStart(4, '0') + ' ' + 'x'.repeat(90));`, {
      limits: { ...LIMITS, logBytes: 1000 },
    });
    expect(outcome).toMatchObject({ status: 'succeeded', logTruncated: true });
    const notices = lines.filter((l) => /output truncated/.test(l.text));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toMatch(/log limit of 1000 bytes/);
    const rows = lines.filter((l) => l.stream === 'stdout').map((l) => l.text);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatch(/^row 0000 /);
    expect(rows.reduce((n, r) => n + Buffer.byteLength(r) + 1, 0)).toBeLessThanOrEqual(1000);
  }, 60_000);

  it('reaches nothing on the network but the API, and says why', async () => {
    const { outcome, stdout } = await run(`
import net from 'node:net';
import dns from 'node:dns/promises';
const connectTo = (options) => new Promise((resolve) => {
  const socket = net.connect(options);
  socket.on('connect', () => { socket.destroy(); resolve('connected'); });
  socket.on('error', (err) => resolve(err.code));
});
try { await fetch('http://1.1.1.1'); console.log('fetch: reached'); } catch (err) { console.log('fetch: ' + (err.cause?.code ?? err.message)); }
console.log('tcp 8.8.8.8:53: ' + await connectTo({ host: '8.8.8.8', port: 53 }));
console.log('tcp host API port on 127.0.0.1: ' + await connectTo({ host: '127.0.0.1', port: ${api.port} }));
console.log('docker socket: ' + await connectTo({ path: '/var/run/docker.sock' }));
try { await dns.lookup('example.com'); console.log('dns: resolved'); } catch (err) { console.log('dns: ' + err.code); }
`);
    expect(outcome.status).toBe('succeeded');
    expect(stdout).toContain('fetch: ENETUNREACH');
    expect(stdout).toContain('tcp 8.8.8.8:53: ENETUNREACH');
    // The container's loopback is its own: the host's services are not on it.
    expect(stdout).toContain('tcp host API port on 127.0.0.1: ECONNREFUSED');
    expect(stdout).toContain('docker socket: ENOENT');
    expect(stdout.find((l) => l.startsWith('dns: '))).toMatch(/^dns: (EAI_AGAIN|ENOTFOUND|ECONNREFUSED)$/);
  }, 60_000);

  it('reads nothing outside the SDK, writes nowhere, starts no process', async () => {
    const { outcome, stdout } = await run(`
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
const attempt = (fn) => { try { fn(); return 'allowed'; } catch (err) { return err.code ?? err.message; } };
console.log(JSON.stringify({
  shadow: attempt(() => fs.readFileSync('/etc/shadow')),
  environ: attempt(() => fs.readFileSync('/proc/1/environ')),
  passwd: attempt(() => fs.readFileSync('/etc/passwd')),
  mountinfo: attempt(() => fs.readFileSync('/proc/self/mountinfo')),
  bridgeFolder: attempt(() => fs.readdirSync('/run/sightline')),
  writeRoot: attempt(() => fs.writeFileSync('/x', 'x')),
  writeTmp: attempt(() => fs.writeFileSync('/tmp/x', 'x')),
  spawn: attempt(() => execFileSync('node', ['-v'])),
  sdk: attempt(() => fs.readFileSync('/node_modules/@sightline/sdk/package.json')),
  uid: process.getuid(),
  token: process.env.SIGHTLINE_TOKEN,
}));
`);
    expect(outcome.status).toBe('succeeded');
    expect(JSON.parse(stdout[0]!)).toEqual({
      shadow: 'ERR_ACCESS_DENIED',
      environ: 'ERR_ACCESS_DENIED',
      passwd: 'ERR_ACCESS_DENIED',
      mountinfo: 'ERR_ACCESS_DENIED',
      bridgeFolder: 'ERR_ACCESS_DENIED',
      writeRoot: 'ERR_ACCESS_DENIED',
      writeTmp: 'ERR_ACCESS_DENIED',
      spawn: 'ERR_ACCESS_DENIED',
      sdk: 'allowed',
      uid: 10001,
      token: 'tok_test_secret',
    });
  }, 60_000);

  it('runs in a container without network, capabilities or a writable root, and without the token in its config', async () => {
    const taskId = randomUUID();
    let config: Promise<Awaited<ReturnType<typeof findRunContainer>>> | undefined;
    const { outcome } = await run(`console.log('ready'); await fetch(process.env.SIGHTLINE_URL + '/wait/${taskId}');`, { env: { SIGHTLINE_TASK_ID: taskId } }, (line) => {
      if (line.text === 'ready') config = findRunContainer(dockerode, taskId).finally(() => api.release(taskId));
    });
    expect(outcome.status).toBe('succeeded');
    const info = (await config)!;
    expect(info.HostConfig).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      Memory: LIMITS.memoryBytes,
      MemorySwap: LIMITS.memoryBytes,
      NanoCpus: LIMITS.nanoCpus,
      PidsLimit: LIMITS.pidsLimit,
      Runtime: await containerRuntime(dockerode),
    });
    expect(info.Config.User).toBe('10001:10001');
    expect(info.HostConfig.Binds).toEqual([expect.stringMatching(/:\/run\/sightline:ro$/)]);
    expect(JSON.stringify(info.Config.Env)).not.toContain('tok_test_secret');
    expect(info.Mounts.some((m) => m.Destination === '/var/run/docker.sock')).toBe(false);
  }, 60_000);

  it('reaches the API through the socket bridge, with the SDK and @sightline/script', async () => {
    const before = api.seen.length;
    const { outcome, stdout, stderr } = await run(
      `import { createClient } from '@sightline/sdk';
import { client } from '@sightline/script';
console.log('createClient is a ' + typeof createClient);
const health = await fetch(process.env.SIGHTLINE_URL + '/health', { headers: { authorization: 'Bearer ' + process.env.SIGHTLINE_TOKEN } });
console.log('health: ' + (await health.text()));
const viewer: { organization: { name: string } } = await client.viewer();
console.log('organization: ' + viewer.organization.name);
const socket = new WebSocket(process.env.SIGHTLINE_URL!.replace('http', 'ws') + '/socket');
const reply = await new Promise<string>((resolve, reject) => {
  socket.onopen = () => socket.send('ping');
  socket.onmessage = (event: { data: unknown }) => resolve(String(event.data));
  socket.onerror = () => reject(new Error('socket failed'));
});
socket.close();
console.log('socket: ' + reply);`,
      { runtime: 'typescript' },
    );
    expect(stderr).toEqual([]);
    expect(outcome.status).toBe('succeeded');
    expect(stdout).toEqual(['createClient is a function', 'health: healthy', `organization: ${VIEWER.organization.name}`, 'socket: echo: ping']);
    const seen = api.seen.slice(before);
    expect(seen.find((r) => r.url === '/health')?.headers.authorization).toBe('Bearer tok_test_secret');
    const graphql = seen.find((r) => r.url === '/graphql');
    expect(graphql?.method).toBe('POST');
    expect(graphql?.headers.authorization).toBe('Bearer tok_test_secret');
    expect(graphql?.body).toMatch(/viewer/);
  }, 60_000);

  it('reports the runtime it used: gVisor when the engine has it', async () => {
    const runtimes = Object.keys(((await dockerode.info()) as { Runtimes?: Record<string, unknown> }).Runtimes ?? {});
    const expected = runtimes.includes('runsc') ? 'runsc' : 'runc';
    expect(await containerRuntime(dockerode)).toBe(expected);
    const { outcome } = await run(`console.log('hi')`);
    expect(outcome.containerRuntime).toBe(expected);
  }, 60_000);

  it('a missing image is a runner error naming it, and leaves nothing behind', async () => {
    const err = await runScript(dockerode, spec(`console.log('hi')`, { image: 'sightline/sandbox:no-such-tag' })).catch((e: unknown) => e);
    expect(isScriptRunnerError(err) && err.code).toBe('IMAGE_MISSING');
    expect((err as Error).message).toMatch(/sightline\/sandbox:no-such-tag is not on this Docker engine/);
    await expect(assertSandboxImage(dockerode, 'sightline/sandbox:no-such-tag')).rejects.toMatchObject({ code: 'IMAGE_MISSING' });
    await expect(assertSandboxImage(dockerode)).resolves.toBeUndefined();
  }, 30_000);

  it('removes script containers a dead worker left behind', async () => {
    // As a worker killed mid-run leaves one: created with the label, never removed.
    // A label value of its own: other suites' script containers may be running right now.
    const value = `leftover-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const leftover = await dockerode.createContainer({ Image: DEFAULT_SANDBOX_IMAGE, Labels: { [SCRIPT_LABEL]: value }, HostConfig: { NetworkMode: 'none' } });
    try {
      expect(await removeStaleScriptContainers(dockerode, { olderThanMs: 0, labelValue: value })).toBe(1);
      await expect(leftover.inspect()).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await leftover.remove({ force: true }).catch(() => undefined);
    }
  }, 30_000);
});
