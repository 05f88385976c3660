/**
 * A SQLite connection in its own process. better-sqlite3 runs a statement synchronously in
 * native code, and neither a worker thread's terminate() nor anything else in the process can
 * interrupt that; killing this process can. The parent kills it to cancel.
 */
import Database from 'better-sqlite3';
import { NOT_A_QUERY, NOT_READ_ONLY, type ChildMessage, type ParentMessage, type SqliteValue } from './sqlite-protocol';

type SqlFunction = (...args: never[]) => unknown;

let db: Database.Database | undefined;
let active: { id: number; rows: IterableIterator<SqliteValue[]>; chunkSize: number } | undefined;

function send(message: ChildMessage): void {
  process.send?.(message);
}

function fail(id: number | null, err: unknown): void {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'SQLITE_ERROR';
  send({ t: 'error', id, code, message: err instanceof Error ? err.message : String(err) });
}

async function open(file: string, functions: { moduleUrl: string; exportName: string } | null): Promise<void> {
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  conn.pragma('query_only = ON');
  conn.defaultSafeIntegers(false);
  if (functions) {
    const mod = (await import(functions.moduleUrl)) as Record<string, unknown>;
    const record = mod[functions.exportName];
    if (record && typeof record === 'object') {
      for (const [name, fn] of Object.entries(record as Record<string, unknown>)) {
        if (typeof fn !== 'function') continue;
        const f = fn as SqlFunction;
        // A rest-parameter function reports length 0: register it for any arity.
        conn.function(name, { deterministic: true, varargs: f.length === 0 }, f as (...args: unknown[]) => unknown);
      }
    }
  }
  db = conn;
  const version = conn.prepare('SELECT sqlite_version()').pluck().get() as string;
  send({ t: 'ready', version });
}

function nextChunk(): void {
  if (!active) return;
  const { id, rows: iterator, chunkSize } = active;
  const rows: SqliteValue[][] = [];
  let done = false;
  try {
    while (rows.length < chunkSize) {
      const step = iterator.next();
      if (step.done) {
        done = true;
        break;
      }
      rows.push(step.value);
    }
  } catch (err) {
    active = undefined;
    fail(id, err);
    return;
  }
  if (done) active = undefined;
  send({ t: 'rows', id, rows, done });
}

function startQuery(message: Extract<ParentMessage, { t: 'query' }>): void {
  if (!db) return fail(message.id, new Error('not open'));
  if (active) active.rows.return?.();
  try {
    const stmt = db.prepare(message.sql);
    // The connection itself is read-only; a writing statement is refused before it starts
    // whatever the caller asked, so the error is the same with or without `readOnly`.
    if (!stmt.readonly) {
      return send({ t: 'error', id: message.id, code: NOT_READ_ONLY, message: 'The statement would write to the database' });
    }
    if (!stmt.reader) {
      return send({ t: 'error', id: message.id, code: NOT_A_QUERY, message: 'The statement returns no rows' });
    }
    const rows = stmt.raw(true).iterate(...message.params) as IterableIterator<SqliteValue[]>;
    active = { id: message.id, rows, chunkSize: message.chunkSize };
  } catch (err) {
    return fail(message.id, err);
  }
  nextChunk();
}

function describe(message: Extract<ParentMessage, { t: 'describe' }>): void {
  if (!db) return fail(message.id, new Error('not open'));
  try {
    const stmt = db.prepare(message.sql);
    if (!stmt.readonly) {
      return send({ t: 'error', id: message.id, code: NOT_READ_ONLY, message: 'The statement would write to the database' });
    }
    if (!stmt.reader) {
      return send({ t: 'error', id: message.id, code: NOT_A_QUERY, message: 'The statement returns no rows' });
    }
    const columns = stmt.columns().map((c) => ({ name: c.name, declaredType: c.type }));
    // Computed columns have no declared type; one row tells their storage class.
    const needsSample = columns.some((c) => c.declaredType === null);
    const sample = needsSample ? ((stmt.raw(true).get() as SqliteValue[] | undefined) ?? null) : null;
    send({ t: 'described', id: message.id, columns, sample });
  } catch (err) {
    fail(message.id, err);
  }
}

process.on('message', (raw: ParentMessage) => {
  switch (raw.t) {
    case 'open':
      open(raw.file, raw.functions).catch((err: unknown) => {
        fail(null, err);
        process.exit(1);
      });
      return;
    case 'query':
      return startQuery(raw);
    case 'pull':
      if (active?.id === raw.id) nextChunk();
      else send({ t: 'rows', id: raw.id, rows: [], done: true });
      return;
    case 'close':
      if (active?.id === raw.id) {
        active.rows.return?.();
        active = undefined;
      }
      send({ t: 'closed', id: raw.id });
      return;
    case 'describe':
      return describe(raw);
  }
});

// Orphaned when the parent dies: nothing would ever kill it otherwise.
process.on('disconnect', () => process.exit(0));
