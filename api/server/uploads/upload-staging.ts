import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { UploadLogger } from './upload-logger';

/**
 * The temporary files of one request. `cleanup` waits for every write to settle, then deletes
 * what is left: a file a resolver moved away is simply not there any more. Safe to call from
 * every way a request can end; it runs once.
 */
export class UploadStaging {
  private readonly paths = new Set<string>();
  private readonly writes = new Set<Promise<unknown>>();
  private done: Promise<void> | null = null;

  constructor(
    private readonly dir: string,
    private readonly logger?: UploadLogger,
  ) {}

  /** A fresh path in the upload folder, deleted at cleanup. */
  newPath(): string {
    const path = join(this.dir, `${randomUUID()}.upload`);
    this.paths.add(path);
    return path;
  }

  track(write: Promise<unknown>): void {
    this.writes.add(write);
  }

  cleanup(): Promise<void> {
    this.done ??= this.removeAll();
    return this.done;
  }

  private async removeAll(): Promise<void> {
    await Promise.allSettled([...this.writes]);
    await Promise.all(
      [...this.paths].map((path) =>
        rm(path, { force: true }).catch((err: unknown) => this.logger?.warn({ err, path }, 'could not delete a staged upload')),
      ),
    );
    this.logger?.debug({ files: this.paths.size }, 'staged uploads removed');
  }
}
