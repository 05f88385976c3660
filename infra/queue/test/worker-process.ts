import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './support';

const FIXTURE = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface WorkerEvent {
  event: 'start' | 'done' | 'aborted' | 'exhausted' | 'error';
  id?: string;
  reason?: string;
  attempt?: number;
  pid: number;
  /** Arrival time in this process. */
  at: number;
}

/** A worker child process running fixtures/worker.ts, with the events it printed. */
export class WorkerProcess {
  readonly events: WorkerEvent[] = [];
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('{')) this.events.push({ ...(JSON.parse(line) as Omit<WorkerEvent, 'at'>), at: Date.now() });
      }
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  find(event: WorkerEvent['event'], id?: string): WorkerEvent | undefined {
    return this.events.find((e) => e.event === event && (id === undefined || e.id === id));
  }

  async waitFor(event: WorkerEvent['event'], id: string, timeoutMs = 15_000): Promise<WorkerEvent> {
    await eventually(() => this.find(event, id) !== undefined, timeoutMs, `${event} of ${id} in ${this.pid}${this.stderr ? `; stderr: ${this.stderr}` : ''}`);
    return this.find(event, id) as WorkerEvent;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Stops the process (SIGTERM, then SIGKILL after a grace period) and waits for its exit. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
