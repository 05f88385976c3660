import { PassThrough, type Readable } from 'node:stream';
import type { FileStorage } from '../../../infra/storage';

/** A stored file as a stream opened on demand (readers want a synchronous factory). */
export function storageSource(storage: FileStorage, key: string): () => Readable {
  return () => {
    const out = new PassThrough();
    storage.get(key).then(
      (body) => {
        body.on('error', (err) => out.destroy(err));
        body.pipe(out);
        out.on('close', () => body.destroy());
      },
      (err: Error) => out.destroy(err),
    );
    return out;
  };
}
