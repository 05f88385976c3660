import { ConnectorError } from '../errors';
import type { PoolOptions } from '../types';
import type { SqliteProcess } from './sqlite-process';

interface Idle {
  proc: SqliteProcess;
  timer: NodeJS.Timeout;
}

/**
 * Child processes of one SQLite datasource. A process killed to cancel a statement is simply
 * dropped; the next caller gets a fresh one, so a cancel never leaks a slot.
 */
export class SqliteProcessPool {
  private readonly idle: Idle[] = [];
  private readonly busy = new Set<SqliteProcess>();
  private readonly waiters: { resolve: (p: SqliteProcess) => void; reject: (e: Error) => void }[] = [];
  private starting = 0;
  private closed = false;

  constructor(
    private readonly spawn: () => Promise<SqliteProcess>,
    private readonly options: PoolOptions,
  ) {}

  async acquire(): Promise<SqliteProcess> {
    if (this.closed) throw new ConnectorError('CLOSED', 'This datasource connection has been closed');
    for (let entry = this.idle.pop(); entry; entry = this.idle.pop()) {
      clearTimeout(entry.timer);
      if (entry.proc.alive) {
        this.busy.add(entry.proc);
        return entry.proc;
      }
    }
    if (this.size < this.options.maxConnections) return this.start();
    return new Promise<SqliteProcess>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  release(proc: SqliteProcess): void {
    this.busy.delete(proc);
    if (!proc.alive || this.closed) {
      void proc.kill();
      this.refill();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      this.busy.add(proc);
      waiter.resolve(proc);
      return;
    }
    const timer = setTimeout(() => this.retire(proc), this.options.idleTimeoutMs);
    timer.unref();
    this.idle.push({ proc, timer });
  }

  /** Kills a process (cancelling whatever it runs) and frees its slot. */
  async discard(proc: SqliteProcess): Promise<void> {
    this.busy.delete(proc);
    await proc.kill();
    this.refill();
  }

  /** Process ids, so operators (and tests) can see what runs. */
  pids(): number[] {
    return [...this.busy, ...this.idle.map((i) => i.proc)].flatMap((p) => (p.pid === undefined ? [] : [p.pid]));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new ConnectorError('CLOSED', 'This datasource connection has been closed'));
    const all = [...this.busy, ...this.idle.map((i) => i.proc)];
    for (const entry of this.idle) clearTimeout(entry.timer);
    this.idle.length = 0;
    this.busy.clear();
    await Promise.all(all.map((p) => p.kill()));
  }

  private get size(): number {
    return this.busy.size + this.idle.length + this.starting;
  }

  private async start(): Promise<SqliteProcess> {
    this.starting++;
    try {
      const proc = await this.spawn();
      if (this.closed) {
        await proc.kill();
        throw new ConnectorError('CLOSED', 'This datasource connection has been closed');
      }
      this.busy.add(proc);
      return proc;
    } finally {
      this.starting--;
    }
  }

  private retire(proc: SqliteProcess): void {
    const index = this.idle.findIndex((i) => i.proc === proc);
    if (index >= 0) this.idle.splice(index, 1);
    void proc.kill();
  }

  /** A freed slot goes to the next waiter as a new process. */
  private refill(): void {
    if (this.closed || this.waiters.length === 0 || this.size >= this.options.maxConnections) return;
    const waiter = this.waiters.shift();
    if (!waiter) return;
    this.start().then(waiter.resolve, waiter.reject);
  }
}
