import type { Readable } from 'node:stream';

/**
 * Reads an object-mode stream a chunk at a time without switching it to flowing mode, so
 * the driver's own backpressure (pausing the socket) holds while the consumer is slow.
 */
export class ChunkedReader<T> {
  private error: Error | undefined;
  private ended = false;

  constructor(private readonly stream: Readable) {
    // Listening from the start: an error between two reads must not go unhandled.
    stream.on('error', (err: Error) => {
      this.error ??= err;
    });
    stream.once('end', () => {
      this.ended = true;
    });
  }

  /** The next rows, at most `size`; `null` once the stream is exhausted. */
  next(size: number): Promise<T[] | null> {
    return new Promise<T[] | null>((resolve, reject) => {
      const rows: T[] = [];
      const finish = (): void => {
        this.stream.off('readable', pull);
        this.stream.off('end', pull);
        this.stream.off('error', pull);
        this.stream.off('close', pull);
      };
      const pull = (): void => {
        if (this.error) {
          finish();
          reject(this.error);
          return;
        }
        let row: T | null;
        while (rows.length < size && (row = this.stream.read() as T | null) !== null) rows.push(row);
        if (rows.length >= size) {
          finish();
          resolve(rows);
        } else if (this.ended || this.stream.destroyed) {
          finish();
          if (this.error) reject(this.error);
          else resolve(rows.length > 0 ? rows : null);
        }
      };
      this.stream.on('readable', pull);
      this.stream.on('end', pull);
      this.stream.on('error', pull);
      this.stream.on('close', pull);
      pull();
    });
  }

  /** Stops reading; the driver discards whatever still arrives. */
  discard(): void {
    if (!this.stream.destroyed) this.stream.destroy();
  }
}
