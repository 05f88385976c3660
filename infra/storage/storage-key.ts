import { StorageError } from './storage-error';

// Segments are what both a POSIX file name and an S3 key accept without escaping.
const SEGMENT = /^[a-z0-9._-]+$/;
const MAX_KEY_BYTES = 1024; // S3's limit on a whole key
const MAX_SEGMENT_BYTES = 255; // the usual file-name limit

/**
 * Refuses anything that is not `segment(/segment)*` of `a-z0-9._-`: no leading or trailing
 * `/`, no empty segment, no `.` segment and no `..` anywhere, so a key can never climb out of
 * the root it is joined to, whatever the backend.
 */
export function assertStorageKey(key: string, what = 'storage key'): void {
  const refuse = (why: string): never => {
    throw new StorageError('INVALID_KEY', `invalid ${what} ${JSON.stringify(key)}: ${why}`, { key });
  };
  if (typeof key !== 'string' || key.length === 0) refuse('it is empty');
  if (key.length > MAX_KEY_BYTES) refuse(`longer than ${MAX_KEY_BYTES} characters`);
  if (key.includes('..')) refuse('".." is not allowed');
  if (key.startsWith('/')) refuse('it starts with "/"');
  for (const segment of key.split('/')) {
    if (segment.length === 0) refuse('it has an empty segment');
    if (segment === '.') refuse('"." segments are not allowed');
    if (segment.length > MAX_SEGMENT_BYTES) refuse(`a segment is longer than ${MAX_SEGMENT_BYTES} characters`);
    if (!SEGMENT.test(segment)) refuse('only a-z, 0-9, ".", "_", "-" and "/" are allowed');
  }
}
