/**
 * A file of a multipart GraphQL request, already written to a temporary file on disk when the
 * resolver runs. The temporary file is deleted when the request ends: a resolver that keeps the
 * file must move it away (`fs.rename`, or copy across devices) during execution.
 */
export interface StagedUpload {
  /** The name the client gave the file (untrusted: never use it as a path). */
  readonly filename: string;
  /** The content type the client declared (untrusted). */
  readonly mimetype: string;
  /** The part's transfer encoding (`7bit`, `binary`, …). */
  readonly encoding: string;
  /** Where the bytes are staged, readable until the request ends. */
  readonly path: string;
  /** Bytes received. */
  readonly size: number;
  /** SHA-256 of the bytes, lowercase hex. */
  readonly sha256: string;
}

// Only objects made by the multipart parser count as uploads: a JSON variable shaped like one
// would otherwise let a client point a resolver at any file on the server.
const staged = new WeakSet<object>();

export function stagedUpload(fields: StagedUpload): StagedUpload {
  const upload = Object.freeze({ ...fields });
  staged.add(upload);
  return upload;
}

export function isStagedUpload(value: unknown): value is StagedUpload {
  return typeof value === 'object' && value !== null && staged.has(value);
}
