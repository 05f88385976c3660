/**
 * Reads a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec)
 * from the body stream: `operations` and `map` first, then each file streamed to a temporary
 * file. Nothing but the two JSON fields is held in memory, so a file's size costs disk, not RAM.
 */
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { parseMap, parseOperations, setAtPath, type Operations, type UploadMap } from './operations-map';
import { stageFile } from './stage-file';
import { stagedUpload } from './staged-upload';
import { badMultipart, tooLarge } from './upload-errors';
import type { UploadLogger } from './upload-logger';
import type { UploadStaging } from './upload-staging';

export interface MultipartLimits {
  maxFileBytes: number;
  maxFiles: number;
  /** Bytes of the `operations` field (and of `map`). */
  maxOperationsBytes: number;
}

export interface MultipartInput {
  body: Readable;
  contentType: string;
  staging: UploadStaging;
  limits: MultipartLimits;
  logger?: UploadLogger;
}

/**
 * Resolves with the operation, its upload variables replaced by staged uploads. Rejects with a
 * typed error when the request is malformed, too large, or the client goes away; the caller
 * owns cleanup of `staging` either way.
 */
export function parseMultipart({ body, contentType, staging, limits, logger }: MultipartInput): Promise<Operations> {
  return new Promise<Operations>((resolve, reject) => {
    // Stays for the request's life: an unhandled 'error' (client gone while the rest is drained)
    // would end the process.
    body.on('error', () => {});
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        // Browsers send UTF-8 file names without RFC 5987 encoding.
        defParamCharset: 'utf8',
        limits: { fieldSize: limits.maxOperationsBytes, files: limits.maxFiles, parts: limits.maxFiles + 2 },
      });
    } catch (error) {
      body.resume();
      reject(badMultipart(error instanceof Error ? error.message : 'invalid content-type'));
      return;
    }

    let operations: Operations | undefined;
    let map: UploadMap | undefined;
    const received = new Set<string>();
    const parts = new Set<Readable>();
    const writes: Promise<void>[] = [];
    let settled = false;

    const fail = (error: Error, clientGone = false) => {
      if (settled) return;
      settled = true;
      body.unpipe(parser);
      for (const part of parts) part.destroy(error);
      parser.removeAllListeners('file').removeAllListeners('field');
      parser.on('error', () => {});
      parser.destroy(error);
      // The rest of the body is read and dropped so the client gets the answer instead of a
      // stalled connection; a client that is gone has nothing left to read.
      if (!clientGone) body.resume();
      reject(error);
    };
    const clientGone = () => fail(badMultipart('the client closed the connection before the upload finished'), true);

    parser.on('field', (name, value, info) => {
      if (settled) return;
      if (info.valueTruncated) return fail(tooLarge(`the "${name}" field is larger than ${limits.maxOperationsBytes} bytes`));
      try {
        if (name === 'operations') {
          if (operations) return fail(badMultipart('the "operations" field is sent twice'));
          operations = parseOperations(value);
        } else if (name === 'map') {
          if (!operations) return fail(badMultipart('the "operations" field must come before "map"'));
          if (map) return fail(badMultipart('the "map" field is sent twice'));
          map = parseMap(value, operations, limits.maxFiles);
        } else if (map?.has(name)) {
          fail(badMultipart(`part "${name}" must be a file (with a filename)`));
        } else {
          fail(badMultipart(`unexpected field "${name}": only "operations", "map" and the files in "map" are allowed`));
        }
      } catch (error) {
        fail(error as Error);
      }
    });

    parser.on('file', (name, part, info) => {
      // Errors of a part reach us through stageFile or not at all (a refused part is only drained).
      part.on('error', () => {});
      if (settled) return void part.resume();
      if (!operations || !map) {
        part.resume();
        return fail(badMultipart(`file "${name}" arrived before the "operations" and "map" fields, which must come first`));
      }
      const paths = map.get(name);
      if (!paths) {
        part.resume();
        return fail(badMultipart(`file "${name}" is not listed in "map"`));
      }
      if (received.has(name)) {
        part.resume();
        return fail(badMultipart(`file "${name}" is sent twice`));
      }
      received.add(name);
      parts.add(part);
      const path = staging.newPath();
      logger?.debug({ field: name, path }, 'staging an upload');
      const fields = operations;
      const write = stageFile(part, path, limits.maxFileBytes, name)
        .then(({ size, sha256 }) => {
          parts.delete(part);
          const upload = stagedUpload({ filename: info.filename ?? '', mimetype: info.mimeType, encoding: info.encoding, path, size, sha256 });
          for (const target of paths) setAtPath(fields, target, upload);
        })
        // Anything but our own refusals is the server's disk failing: masked and logged upstream.
        .catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
      staging.track(write);
      writes.push(write);
    });

    parser.on('filesLimit', () => fail(tooLarge(`at most ${limits.maxFiles} files are allowed per request`)));
    parser.on('partsLimit', () => fail(tooLarge(`at most ${limits.maxFiles + 2} parts are allowed per request`)));
    parser.on('error', (error: Error) => fail(badMultipart(`malformed body (${error.message})`)));
    parser.on('close', () => {
      void Promise.all(writes).then(() => {
        if (settled) return;
        if (!operations) return fail(badMultipart('the "operations" field is missing'));
        if (!map) return fail(badMultipart('the "map" field is missing'));
        const missing = [...map.keys()].filter((name) => !received.has(name));
        if (missing.length > 0) return fail(badMultipart(`files listed in "map" were not sent: ${missing.join(', ')}`));
        settled = true;
        resolve(operations);
      });
    });

    body.on('error', clientGone);
    body.once('close', () => {
      if (!body.readableEnded) clientGone();
    });
    body.pipe(parser);
  });
}
