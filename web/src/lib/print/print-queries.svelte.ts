/**
 * The queries of a printed dashboard: each widget's query runs once (the wall's live query, left
 * as soon as it has an answer), and every widget ends in exactly one outcome — its rows, its
 * error, or a timeout — so the page can say when it is complete. A report never waits forever
 * for one slow widget.
 */
import { SvelteMap } from 'svelte/reactivity';
import { describeError } from '$lib/api/client';
import type { WallConnection } from '$lib/api/wall';
import { isRunnable, toQuery, type Widget } from '$lib/dashboard/model';
import { IDLE, type WidgetState } from '$lib/dashboard/widget-state';

export type PrintOutcome = 'pending' | 'done' | 'error' | 'timeout';

export interface PrintWidgetState {
  outcome: PrintOutcome;
  /** What the shared widget view draws. */
  view: WidgetState;
}

const PENDING: PrintWidgetState = { outcome: 'pending', view: { ...IDLE, status: 'queued' } };

export class PrintQueries {
  readonly states = new SvelteMap<string, PrintWidgetState>();
  #stops = new Map<string, () => void>();
  #disposed = false;

  constructor(
    private readonly connection: WallConnection,
    private readonly timeoutMs: number,
  ) {}

  state(widgetId: string): PrintWidgetState {
    return this.states.get(widgetId) ?? PENDING;
  }

  /** True once every started widget has its outcome. */
  get settled(): boolean {
    for (const s of this.states.values()) if (s.outcome === 'pending') return false;
    return true;
  }

  start(widgets: readonly Widget[]): void {
    for (const w of widgets) {
      if (this.states.has(w.id)) continue;
      // Text widgets and widgets without a datasource have nothing to wait for.
      if (!isRunnable(w) || !w.datasourceId) {
        this.states.set(w.id, { outcome: 'done', view: IDLE });
        continue;
      }
      this.states.set(w.id, PENDING);
      this.#run(w.id, w.datasourceId, w);
    }
  }

  /** Gives up on every widget still waiting (the report's own time is up). */
  forceTimeout(): void {
    for (const [id, s] of this.states) {
      if (s.outcome === 'pending') this.#finish(id, timedOut('the report could not wait any longer for it'));
    }
  }

  dispose(): void {
    this.#disposed = true;
    for (const stop of this.#stops.values()) stop();
    this.#stops.clear();
  }

  #run(id: string, datasourceId: string, w: Widget): void {
    const stream = this.connection.liveQuery<Record<string, unknown>>(datasourceId, toQuery(w.query));
    const timer = setTimeout(() => this.#finish(id, timedOut(`no answer within ${Math.round(this.timeoutMs / 1000)} s`)), this.timeoutMs);
    this.#stops.set(id, () => {
      clearTimeout(timer);
      // Leaving the live query ends it on the server, like a wall rotating away.
      void stream.return();
    });
    void (async () => {
      try {
        for await (const e of stream) {
          if (this.#disposed || this.state(id).outcome !== 'pending') return;
          if (e.status === 'DONE' && e.rows && e.columns) {
            // The SDK gives rows as objects; the widgets draw from arrays in column order.
            const names = e.columns.map((c) => c.name);
            const rows = e.rows.map((r) => names.map((n) => r[n] ?? null));
            this.#finish(id, { outcome: 'done', view: { ...IDLE, status: 'done', columns: e.columns, rows, truncated: e.truncated ?? false, updatedAt: Date.now() } });
            return;
          }
          if (e.status === 'FAILED' || e.status === 'CANCELLED') {
            this.#finish(id, failed(e.error ? describeError(e.error) : 'The query failed.'));
            return;
          }
          this.states.set(id, { outcome: 'pending', view: { ...IDLE, status: e.status === 'QUEUED' ? 'queued' : 'running', progress: e.progress } });
        }
        if (this.state(id).outcome === 'pending') this.#finish(id, failed('The query ended without an answer.'));
      } catch (err) {
        if (!this.#disposed && this.state(id).outcome === 'pending') this.#finish(id, failed(describeError(err)));
      }
    })();
  }

  #finish(id: string, state: PrintWidgetState): void {
    if (this.#disposed || this.state(id).outcome !== 'pending') return;
    this.states.set(id, state);
    this.#stops.get(id)?.();
    this.#stops.delete(id);
  }
}

function failed(message: string): PrintWidgetState {
  return { outcome: 'error', view: { ...IDLE, status: 'failed', error: message } };
}

function timedOut(why: string): PrintWidgetState {
  return { outcome: 'timeout', view: { ...IDLE, status: 'failed', error: `This widget timed out: ${why}.` } };
}
