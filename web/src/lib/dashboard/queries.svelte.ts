/**
 * Runs the queries of one open dashboard. Widgets of the visible tab run; when a tab is left,
 * its unfinished queries are dropped after a grace period (a quick look at another tab and back
 * costs nothing), by leaving the job's subscription so the server stops it in the database.
 * Results are kept per query and shown at once on return, marked while they refresh.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { EventStream, QueryJobEvent, SightlineClient } from '$sdk';
import { describeError } from '../api/client';
import { cacheKey, readCached, writeCached } from './result-cache';
import { isRunnable, toQuery, type Widget } from './model';
import { IDLE, type WidgetState } from './widget-state';

export const TAB_GRACE_MS = 2000;

interface Run {
  key: string;
  jobId: string | null;
  events: EventStream<QueryJobEvent> | null;
  /** Set when the run was dropped on purpose: its end is not an error to show. */
  dropped: boolean;
}

export class DashboardQueries {
  readonly states = new SvelteMap<string, WidgetState>();
  #runs = new Map<string, Run>();
  #graceTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #disposed = false;

  constructor(private readonly client: () => SightlineClient) {}

  state(widgetId: string): WidgetState {
    return this.states.get(widgetId) ?? IDLE;
  }

  /** Shows and (re)runs the widgets of a tab that is now visible. */
  show(tabId: string, widgets: Widget[]): void {
    const timer = this.#graceTimers.get(tabId);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#graceTimers.delete(tabId);
    }
    for (const w of widgets) this.ensure(w);
  }

  /** The tab is no longer visible: after the grace period its unfinished queries stop. */
  hide(tabId: string, widgets: Widget[]): void {
    if (this.#graceTimers.has(tabId)) return;
    const ids = widgets.map((w) => w.id);
    this.#graceTimers.set(
      tabId,
      setTimeout(() => {
        this.#graceTimers.delete(tabId);
        for (const id of ids) this.drop(id);
      }, TAB_GRACE_MS),
    );
  }

  /** Runs the widget unless its current query already ran or is running. */
  ensure(w: Widget): void {
    if (!isRunnable(w) || !w.datasourceId) {
      this.drop(w.id);
      this.states.delete(w.id);
      return;
    }
    const query = toQuery(w.query);
    const key = cacheKey(w.datasourceId, query);
    const run = this.#runs.get(w.id);
    const current = this.states.get(w.id);
    if (run && run.key === key && !run.dropped) return;
    if (!run && current?.status === 'done' && this.#fresh.get(w.id) === key) return;
    void this.run(w, false);
  }

  /** The query each widget last got a complete answer for. */
  #fresh = new Map<string, string>();

  /** Runs the widget's query now; `refresh` bypasses the server's result cache. */
  async run(w: Widget, refresh: boolean, attempt = 0): Promise<void> {
    if (this.#disposed || !w.datasourceId) return;
    this.drop(w.id);
    const query = toQuery(w.query);
    const key = cacheKey(w.datasourceId, query);
    this.#fresh.delete(w.id);
    const run: Run = { key, jobId: null, events: null, dropped: false };
    this.#runs.set(w.id, run);

    const before = this.states.get(w.id);
    const cached = readCached(key);
    const base: WidgetState = cached
      ? { ...IDLE, columns: cached.columns, rows: cached.rows, truncated: cached.truncated, updatedAt: cached.at, stale: true }
      : before && before.updatedAt !== null && this.#sameShape(before, w)
        ? { ...before, stale: true, error: null }
        : { ...IDLE };
    this.states.set(w.id, { ...base, status: 'queued', startedAt: Date.now(), progress: 0, rowsFetched: 0 });

    try {
      const job = await this.client().runQuery(w.datasourceId, query, { refresh });
      if (run.dropped) {
        // Dropped while starting: stop the job we just created, if it is still going.
        if (job.status === 'QUEUED' || job.status === 'RUNNING') void this.client().cancel(job.id).catch(() => undefined);
        return;
      }
      run.jobId = job.id;
      let end: string | null = this.#apply(w.id, key, job) ? job.status : null;
      if (!end) {
        run.events = this.client().watchJob(job.id);
        for await (const event of run.events) {
          if (run.dropped) break;
          if (this.#apply(w.id, key, event)) {
            end = event.status;
            break;
          }
        }
      }
      // Joined to an identical job that its other watcher stopped (a page being left as this
      // one opens): not this widget's doing, so run it again once.
      if (end === 'CANCELLED' && !run.dropped && attempt === 0) {
        if (this.#runs.get(w.id) === run) this.#runs.delete(w.id);
        void this.run(w, false, 1);
        return;
      }
    } catch (err) {
      if (!run.dropped) this.#patch(w.id, { status: 'failed', error: describeError(err), stale: false });
    } finally {
      if (this.#runs.get(w.id) === run) this.#runs.delete(w.id);
    }
  }

  /** The cancel button: stops the job in the database for everyone watching it. */
  async cancel(widgetId: string): Promise<void> {
    const run = this.#runs.get(widgetId);
    if (!run) return;
    const jobId = run.jobId;
    this.drop(widgetId);
    if (jobId) await this.client().cancel(jobId).catch(() => undefined);
  }

  /** Stops following a run; as the job's last watcher, that stops it on the server. */
  drop(widgetId: string): void {
    const run = this.#runs.get(widgetId);
    if (!run) return;
    run.dropped = true;
    this.#runs.delete(widgetId);
    void run.events?.return();
    const s = this.states.get(widgetId);
    if (s && (s.status === 'queued' || s.status === 'running')) this.#patch(widgetId, { status: s.updatedAt !== null ? 'done' : 'cancelled', progress: 0 });
  }

  /** Forgets a widget that was deleted. */
  forget(widgetId: string): void {
    this.drop(widgetId);
    this.states.delete(widgetId);
    this.#fresh.delete(widgetId);
  }

  dispose(): void {
    this.#disposed = true;
    for (const t of this.#graceTimers.values()) clearTimeout(t);
    this.#graceTimers.clear();
    for (const id of [...this.#runs.keys()]) this.drop(id);
    this.states.clear();
  }

  #sameShape(s: WidgetState, _w: Widget): boolean {
    return s.columns.length > 0;
  }

  #patch(id: string, patch: Partial<WidgetState>): void {
    this.states.set(id, { ...(this.states.get(id) ?? IDLE), ...patch });
  }

  /** Applies a job state; true when the job has ended. */
  #apply(id: string, key: string, e: Pick<QueryJobEvent, 'status' | 'progress' | 'rowsFetched' | 'error' | 'result'>): boolean {
    switch (e.status) {
      case 'QUEUED':
        this.#patch(id, { status: 'queued' });
        return false;
      case 'RUNNING':
        this.#patch(id, { status: 'running', progress: e.progress, rowsFetched: e.rowsFetched });
        return false;
      case 'DONE': {
        if (!e.result) {
          this.#patch(id, { status: 'failed', stale: false, error: 'The result is no longer kept. Run the query again.' });
          return true;
        }
        const at = Date.now();
        const columns = e.result.columns.map((c) => ({ name: c.name, type: c.type }));
        const rows = e.result.rows as unknown[][];
        writeCached(key, { columns, rows, truncated: e.result.truncated, at });
        this.#fresh.set(id, key);
        this.states.set(id, { ...IDLE, status: 'done', columns, rows, truncated: e.result.truncated, updatedAt: at });
        return true;
      }
      case 'FAILED':
        this.#patch(id, { status: 'failed', stale: false, error: e.error?.message ? describeError(new Error(e.error.message)) : 'The query failed.' });
        return true;
      case 'CANCELLED':
        this.#patch(id, { status: 'cancelled', stale: false, progress: 0 });
        return true;
    }
  }
}
