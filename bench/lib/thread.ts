/**
 * Runs a TypeScript module of the bench in a worker thread: load generators and swarms of
 * clients get a core of their own instead of sharing the event loop they are measuring.
 * Worker threads do not inherit tsx's loader, so the thread registers it before importing.
 */
import { Worker } from 'node:worker_threads';

export function startThread(module: URL, data: unknown): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}
