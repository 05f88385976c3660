/**
 * A distributed Sightline for tests: real API and worker processes (`bin/api.ts`,
 * `bin/worker.ts`) sharing one fresh PostgreSQL metadata database, one Redis under a prefix of
 * their own and one secret key. Every child is tracked so none outlives the test file, even
 * when a test fails half-way.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, PrivateRedis } from '../../../testkit/private-redis';
import { deleteKeys } from '../../../testkit/redis-keys';
import { createPgDatabase, REDIS_URL, uniqueName, type TempDatabase } from '../../../testkit/services';

export { freePort, PrivateRedis };

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KEEP_LINES = 300;

const alive = new Set<ChildProcess>();
// A crashed or interrupted test run must not leave servers behind.
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

export type Role = 'api' | 'worker';

/** One running `bin/api.ts` or `bin/worker.ts`, with the last lines it printed. */
export class SightlineProcess {
  readonly lines: string[] = [];
  /** The API's base URL (http://127.0.0.1:<port>); empty for a worker. */
  url = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    readonly role: Role,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join('bin', `${role}.ts`)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    alive.add(this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        alive.delete(this.child);
        resolve({ code, signal });
      }),
    );
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let buffer = '';
      stream?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          this.push(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
        }
      });
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
    const endpoint = /GraphiQL: (http:\/\/\S+)\/graphql/.exec(line);
    if (endpoint) this.url = endpoint[1]!;
  }

  /** What the process printed, for failure messages. */
  output(last = 40): string {
    return `--- ${this.name} (pid ${this.pid}) ---\n${this.lines.slice(-last).join('\n')}`;
  }

  /** Resolves once the process says it is serving; fails with its output if it exits first. */
  async ready(timeoutMs = 45_000): Promise<this> {
    const marker = this.role === 'api' ? 'GraphiQL:' : 'worker is running';
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.some((l) => l.includes(marker))) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready\n${this.output()}`);
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms\n${this.output()}`);
      await sleep(50);
    }
    return this;
  }

  /** kill -9: no shutdown code runs, exactly like a crashed machine or an OOM kill. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** A clean stop (SIGTERM), forced after a grace period. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface ClusterOptions {
  /** Variables every process gets (on top of the cluster's own). */
  env?: Record<string, string>;
  /** The Redis the processes share; default the shared test Redis. */
  redisUrl?: string;
}

/** The shared services of a distributed deployment, and the processes started on them. */
export class Cluster {
  readonly processes: SightlineProcess[] = [];
  readonly redisPrefix = uniqueName('sld');
  private readonly secretKey = randomBytes(32).toString('hex');
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'sightline-cluster-'));

  private constructor(
    readonly metadata: TempDatabase,
    private readonly options: ClusterOptions,
  ) {}

  static async create(options: ClusterOptions = {}): Promise<Cluster> {
    return new Cluster(await createPgDatabase('sl_dist'), options);
  }

  get redisUrl(): string {
    return this.options.redisUrl ?? REDIS_URL;
  }

  /** Starts a process and waits until it serves. `env` overrides per process (PORT, WORKER_QUEUES…). */
  async start(name: string, role: Role, env: Record<string, string> = {}): Promise<SightlineProcess> {
    const p = new SightlineProcess(name, role, {
      DATABASE_URL: this.metadata.url,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.redisPrefix,
      SIGHTLINE_SECRET_KEY: this.secretKey,
      SAMPLE_DATASOURCE: 'false',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: this.dataDir,
      // The query-job queues; suites of runs (loads, scripts, reports) name theirs.
      WORKER_QUEUES: 'queries,queries-long,datasource-ops',
      ...this.options.env,
      ...env,
    });
    this.processes.push(p);
    return p.ready();
  }

  /** The output of every process, for a failing assertion's message. */
  output(last = 30): string {
    return this.processes.map((p) => p.output(last)).join('\n');
  }

  /** Kills every process, deletes the Redis keys and drops the database. */
  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill9()));
    await deleteKeys(this.redisUrl, this.redisPrefix).catch(() => undefined);
    await this.metadata.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Which of `candidates` owns the local end of a TCP connection (Linux /proc): with
 * pg_stat_activity.client_port it names the process a database backend serves.
 */
export async function pidOwningLocalPort(localPort: number, candidates: number[]): Promise<number | null> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const row of text.split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      const local = cols[1];
      if (!local) continue;
      if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === localPort) inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of candidates) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) return pid;
    }
  }
  return null;
}

/** A port nobody listens on right now (it may be taken again later; good enough on loopback). */

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/**
 * A server that accepts TCP connections and never answers, like a firewall dropping packets
 * after the handshake or a database host frozen mid-way: clients hang until their own timeout.
 */
export class BlackHole {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  /** Connections accepted so far. */
  accepted = 0;
  port = 0;

  private constructor() {
    this.server = createServer((socket) => {
      socket.on('error', () => {});
      // Reads and drops what is sent: a paused socket would never see the client's FIN and
      // would keep the connection half-open, hiding whether the client gave up.
      socket.resume();
      this.accepted++;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<BlackHole> {
    const hole = new BlackHole();
    await new Promise<void>((resolve) => hole.server.listen(0, '127.0.0.1', resolve));
    const address = hole.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    hole.port = address.port;
    return hole;
  }

  /** Connections held open right now. */
  get open(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value that is not undefined/false, or fails naming `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}
