import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ConnectorError } from '../errors';
import type { ChildMessage, ParentMessage, SqliteFunctionsModule } from './sqlite-protocol';

const CHILD_ENTRY = new URL('./sqlite-child.ts', import.meta.url);
// The child is TypeScript like the rest of the code base, so it starts with tsx's loader.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

type Reply = Exclude<ChildMessage, { t: 'ready' }>;

/** One child process holding one read-only SQLite connection. */
export class SqliteProcess {
  private waiting: { id: number; resolve: (m: Reply) => void; reject: (e: Error) => void } | undefined;
  private exited = false;
  private readonly exitPromise: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exitPromise = new Promise<void>((resolve) => {
      child.once('exit', () => {
        this.exited = true;
        this.waiting?.reject(new ConnectorError('CONNECTION_FAILED', 'The SQLite process ended'));
        this.waiting = undefined;
        resolve();
      });
    });
    child.on('message', (message: ChildMessage) => {
      if (message.t === 'ready') return;
      const waiting = this.waiting;
      if (!waiting) return;
      if (message.id !== null && message.id !== waiting.id) return;
      this.waiting = undefined;
      waiting.resolve(message);
    });
  }

  static async spawn(file: string, functions: SqliteFunctionsModule | null, startTimeoutMs: number): Promise<SqliteProcess> {
    const child = fork(CHILD_ENTRY, [], {
      execArgv: ['--import', TSX_LOADER],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const proc = new SqliteProcess(child);
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ConnectorError('TIMEOUT', 'The SQLite process did not start in time')), startTimeoutMs);
      child.on('message', (m: ChildMessage) => {
        if (m.t === 'ready') {
          clearTimeout(timer);
          resolve(m.version);
        } else if (m.t === 'error' && m.id === null) {
          clearTimeout(timer);
          reject(new ConnectorError('CONNECTION_FAILED', `Could not open the SQLite file: ${m.message}`, m.code));
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new ConnectorError('CONNECTION_FAILED', 'The SQLite process ended while starting'));
      });
    });
    proc.post({ t: 'open', file, functions });
    try {
      proc.version = await ready;
    } catch (err) {
      await proc.kill();
      throw err;
    }
    return proc;
  }

  version = '';

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Sends a request and waits for its one reply; the process handles one at a time. */
  request(message: Extract<ParentMessage, { id: number }>): Promise<Reply> {
    if (this.exited) return Promise.reject(new ConnectorError('CONNECTION_FAILED', 'The SQLite process ended'));
    if (this.waiting) return Promise.reject(new Error('SQLite process is busy'));
    return new Promise<Reply>((resolve, reject) => {
      this.waiting = { id: message.id, resolve, reject };
      this.post(message);
    });
  }

  /** SIGKILL: the only way to stop a statement inside SQLite's native code. */
  async kill(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.exitPromise;
  }

  private post(message: ParentMessage): void {
    this.child.send(message);
  }
}
