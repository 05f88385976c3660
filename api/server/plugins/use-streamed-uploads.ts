/**
 * File uploads by the GraphQL multipart request spec, streamed to disk. Yoga's own multipart
 * parser reads the whole body through `formData()`, i.e. into memory, and yoga and
 * `useBodyLimit` cap the whole body; so this plugin takes multipart bodies off the request
 * before either sees them, and parses them itself: `operations` and `map` are limited like a
 * JSON body, files only by `maxFileBytes` and `maxFiles`.
 *
 * Must come before `useBodyLimit` in the plugin list.
 */
import { ServerResponse } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import type { Plugin } from 'graphql-yoga';
import { parseMultipart } from '../uploads/parse-multipart';
import { uploadError } from '../uploads/upload-errors';
import { uploadSettings, type StreamedUploadOptions } from '../uploads/upload-settings';
import { UploadStaging } from '../uploads/upload-staging';

export type { StreamedUploadOptions } from '../uploads/upload-settings';

const isMultipartPost = (request: Request) =>
  request.method === 'POST' && /^multipart\/form-data\b/i.test(request.headers.get('content-type') ?? '');

// Results that keep streaming after the response starts (SSE, incremental delivery) may still
// read their files; those are deleted when the connection closes instead.
const isStreamedResponse = (response: Response) => /^(text\/event-stream|multipart\/mixed)\b/i.test(response.headers.get('content-type') ?? '');

export function useStreamedUploads(options: StreamedUploadOptions = {}): Plugin {
  const settings = uploadSettings(options);
  let endpoint = '/graphql';
  /** The request yoga sees (body taken off) → the one the client sent. */
  const detached = new WeakMap<Request, Request>();
  const stagings = new WeakMap<Request, UploadStaging>();
  return {
    onYogaInit({ yoga }) {
      endpoint = yoga.graphqlEndpoint;
    },

    async onRequest({ request, setRequest, url, endResponse, fetchAPI }) {
      if (!isMultipartPost(request) || url.pathname !== endpoint) return;
      if (settings.mayUpload && !(await settings.mayUpload(request.headers.get('authorization')))) {
        return endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message: 'sign in to upload files', extensions: { code: 'UNAUTHENTICATED' } }] }), {
            status: 401,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }
      if (!/^\d+$/.test(request.headers.get('content-length') ?? '')) {
        // Answered here in useBodyLimit's words: the body is never read without a declared length.
        return endResponse(
          new fetchAPI.Response(
            JSON.stringify({ errors: [{ message: 'multipart requests must send Content-Length', extensions: { code: 'LENGTH_REQUIRED' } }] }),
            { status: 411, headers: { 'content-type': 'application/json' } },
          ),
        );
      }
      // Later plugins see a request without a body: the body is parsed here, as a stream.
      const headers = new fetchAPI.Headers(request.headers);
      headers.set('content-length', '0');
      const bodiless = new fetchAPI.Request(request.url, { method: request.method, headers, signal: request.signal });
      detached.set(bodiless, request);
      setRequest(bodiless);
    },

    onRequestParse({ request, serverContext, setRequestParser }) {
      if (!isMultipartPost(request)) return;
      const original = detached.get(request);
      setRequestParser(async () => {
        // Never fall back to a parser that buffers files in memory.
        if (!original) throw uploadError('BAD_REQUEST', `multipart requests are accepted only at ${endpoint}`);
        // Every time: a tmp cleaner may have removed the folder since the last upload.
        await mkdir(settings.dir, { recursive: true, mode: 0o700 });
        const staging = new UploadStaging(settings.dir, settings.logger);
        stagings.set(request, staging);
        const res = (serverContext as { res?: unknown }).res;
        if (res instanceof ServerResponse) res.once('close', () => void staging.cleanup());
        try {
          return await parseMultipart({
            body: bodyStream(original, serverContext),
            contentType: request.headers.get('content-type') ?? '',
            staging,
            limits: settings,
            logger: settings.logger,
          });
        } catch (error) {
          await staging.cleanup();
          throw error;
        }
      });
    },

    async onResponse({ request, response }) {
      const staging = stagings.get(request);
      // Deleted before the response goes out, so a client that has the answer sees no files left.
      if (staging && !isStreamedResponse(response)) await staging.cleanup();
    },
  };
}

/** The raw Node request when served by node:http (cheapest), else the fetch body. */
function bodyStream(original: Request, serverContext: unknown): Readable {
  const req = (serverContext as { req?: unknown }).req;
  if (req instanceof Readable) return req;
  const body = original.body;
  if (!body) return Readable.from([]);
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream
    ? Readable.fromWeb(body as unknown as NodeWebStream<Uint8Array>)
    : Readable.from(body as unknown as AsyncIterable<Uint8Array>);
}
