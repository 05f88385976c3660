/**
 * The HTTP load from a worker thread, so the client's work does not share the server's event
 * loop (the server under test runs in the main thread).
 */
import type { Worker } from 'node:worker_threads';
import type { HttpLoadResult, HttpLoadSpec } from './http-load';
import { startThread } from './thread';

type Reply = { ok: true; result: HttpLoadResult } | { ok: false; error: string };

export interface LoadThread {
  run(spec: HttpLoadSpec): Promise<HttpLoadResult>;
  close(): Promise<void>;
}

export function startLoadThread(): LoadThread {
  const worker: Worker = startThread(new URL('./http-load-thread.ts', import.meta.url), null);
  return {
    run: (spec) =>
      new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        worker.once('error', onError);
        worker.once('message', (reply: Reply) => {
          worker.off('error', onError);
          if (reply.ok) resolve(reply.result);
          else reject(new Error(reply.error));
        });
        worker.postMessage(spec);
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}
