import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UploadLogger } from './upload-logger';

export interface StreamedUploadOptions {
  /** Folder of the temporary files (created 0700). Default: `<os tmpdir>/sightline-uploads`. */
  dir?: string;
  /** Largest file accepted, in bytes. Default: 2 GiB. */
  maxFileBytes?: number;
  /** Most files in one request. Default: 10. */
  maxFiles?: number;
  /** Largest `operations` (and `map`) field, in bytes: the JSON body limit. Default: 1 MB. */
  maxOperationsBytes?: number;
  logger?: UploadLogger;
  /**
   * Decides from the Authorization header whether the request may send files at all, before
   * any byte is written to disk: anonymous clients must not be able to fill it.
   */
  mayUpload?: (authorization: string | null) => Promise<boolean>;
}

export type UploadSettings = Required<Omit<StreamedUploadOptions, 'logger' | 'mayUpload'>> & Pick<StreamedUploadOptions, 'logger' | 'mayUpload'>;

export const DEFAULT_UPLOAD_DIR = join(tmpdir(), 'sightline-uploads');
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;
export const DEFAULT_MAX_FILES = 10;

export function uploadSettings(options: StreamedUploadOptions): UploadSettings {
  return {
    dir: options.dir ?? DEFAULT_UPLOAD_DIR,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
    maxOperationsBytes: options.maxOperationsBytes ?? 1_000_000,
    logger: options.logger,
    mayUpload: options.mayUpload,
  };
}
