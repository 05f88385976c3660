import type { Readable } from 'node:stream';
import { StorageError, causeMessage } from './storage-error';

/**
 * Tells, once a put has failed, whose fault it was: the caller's signal, the caller's body, or
 * the disk / object store. A failure on one side destroys the other, so the side that failed
 * first is the one to report.
 */
export function watchPutFailure(body: Readable, signal: AbortSignal | undefined) {
  let first: 'body' | 'backend' | undefined;
  let bodyError: unknown;
  // Stays attached: the body is ours to consume from now on, and a late error must not crash.
  body.on('error', (err) => {
    first ??= 'body';
    bodyError ??= err;
  });
  return {
    backendFailed(): void {
      first ??= 'backend';
    },
    error(key: string, where: string, err: unknown, describe: (err: unknown) => string = causeMessage): StorageError {
      if (err instanceof StorageError) return err;
      if (signal?.aborted) {
        return new StorageError('ABORTED', `storing ${JSON.stringify(key)} in ${where} was aborted; nothing was stored`, { key, cause: signal.reason });
      }
      if (first === 'backend') {
        return new StorageError('BACKEND_FAILED', `storing ${JSON.stringify(key)} in ${where} failed: ${describe(err)}`, { key, cause: err });
      }
      // The body's own error, not what its failure caused downstream (say, a refused cleanup).
      const cause = bodyError ?? err;
      return new StorageError('BODY_FAILED', `the body for ${JSON.stringify(key)} failed while storing it in ${where}; nothing was stored: ${describe(cause)}`, { key, cause });
    },
  };
}
