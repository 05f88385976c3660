/**
 * Follows one run through `runEvents`: its status as it changes and its log lines as they are
 * written. One follower shows one run at a time; following another stops the previous one.
 */
import type { EventStream, SightlineClient } from '$sdk';
import { describeError } from '$lib/api/client';
import { asStream, hasEnded, parseStoredLog, type LogLine, type Run, type RunEvent } from './runs';

// A browser tab need not hold more than this; the stored log keeps the rest.
const MAX_LINES = 5000;

export class RunFollower {
  run = $state<Run | null>(null);
  lines = $state<LogLine[]>([]);
  error = $state<string | null>(null);
  cancelling = $state(false);
  /** Joined after the run started: its earlier lines arrive with the stored log at the end. */
  joinedLate = $state(false);
  #client: () => SightlineClient;
  #stream: EventStream<RunEvent> | null = null;
  #generation = 0;

  constructor(client: () => SightlineClient) {
    this.#client = client;
  }

  get active(): boolean {
    return this.run !== null && !hasEnded(this.run.status);
  }

  /** Follows `run` until it ends; resolves with its last known state. */
  async follow(run: Run): Promise<Run | null> {
    this.stop();
    const generation = ++this.#generation;
    const current = () => generation === this.#generation;
    this.run = run;
    this.lines = [];
    this.error = null;
    this.joinedLate = false;
    // Lines logged before the subscription started are not replayed; the stored log has them
    // once the run ends, so a run joined after it started is completed from there.
    let first = true;
    const stream = this.#client().runs.events(run.id);
    this.#stream = stream;
    try {
      for await (const event of stream) {
        if (!current()) return this.run;
        if (event.run) {
          if (first) this.joinedLate = event.run.status !== 'QUEUED';
          first = false;
          this.run = event.run;
          if (hasEnded(event.run.status)) break;
        } else if (event.type === 'log' && event.text !== null) {
          this.#append(asStream(event.stream), event.text);
        }
      }
    } catch (err) {
      if (current()) this.error = describeError(err);
    } finally {
      await stream.return().catch(() => undefined);
      if (this.#stream === stream) this.#stream = null;
    }
    if (!current()) return this.run;
    if (this.joinedLate || !this.run || !hasEnded(this.run.status)) await this.#loadStored(run.id, current);
    if (current()) this.joinedLate = false;
    return this.run;
  }

  /** Asks the server to stop the run; the stream then reports it cancelled. */
  async cancel(): Promise<void> {
    if (!this.run || !this.active) return;
    this.cancelling = true;
    try {
      const run = await this.#client().runs.cancel(this.run.id);
      if (this.run?.id === run.id) this.run = run;
    } catch (err) {
      this.error = describeError(err);
    } finally {
      this.cancelling = false;
    }
  }

  stop(): void {
    this.#generation++;
    void this.#stream?.return();
    this.#stream = null;
  }

  /** Stops following and forgets the run. */
  clear(): void {
    this.stop();
    this.run = null;
    this.lines = [];
    this.error = null;
    this.joinedLate = false;
  }

  #append(stream: LogLine['stream'], text: string): void {
    const n = (this.lines.at(-1)?.n ?? -1) + 1;
    // A line may carry several (a script's multi-line error): one entry each keeps styling right.
    for (const [i, part] of text.split('\n').entries()) this.lines.push({ n: n + i, stream, text: part });
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
  }

  async #loadStored(runId: string, current: () => boolean): Promise<void> {
    try {
      const stored = await this.#client().runs.get(runId);
      if (!stored || !current()) return;
      const { log, ...run } = stored;
      this.run = run;
      if (log) this.lines = parseStoredLog(log);
    } catch (err) {
      if (current()) this.error ??= describeError(err);
    }
  }
}
