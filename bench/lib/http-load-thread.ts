/** Worker-thread side of `loadInThread`: one load per message, the result posted back. */
import { parentPort } from 'node:worker_threads';
import { runHttpLoad, type HttpLoadSpec } from './http-load';

parentPort?.on('message', (spec: HttpLoadSpec) => {
  runHttpLoad(spec).then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (err: unknown) => parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
