// The sandbox's entry point: runs one user script that arrives on stdin.
//
// stdin carries one JSON object, written by workers/scripts and then closed:
//   { code: string, token?: string, filename?: string, lines?: [genColumn, line, column][][] }
// `code` is an ES module already compiled on the worker (imports rewritten to absolute file:
// URLs, which a data: module may import); `lines` maps its positions back to what the author
// wrote, so stack traces name `script.ts:3:9` instead of a megabyte of data: URL.
//
// The token comes on stdin rather than in the container's environment so that it never shows
// in `docker inspect` or /proc/1/environ; the script sees it as process.env.SIGHTLINE_TOKEN.
//
// When SIGHTLINE_API_SOCKET names a Unix socket (the worker's bridge to the API, mounted
// read-only), this listens on 127.0.0.1:8080 and pipes every connection to it, and sets
// SIGHTLINE_URL to that address: the container has no network but its loopback, so the API is
// the one thing a script can reach.
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';

const BRIDGE_PORT = 8080;
const DATA_URL = 'data:text/javascript,';
// encodeURIComponent leaves no ':' and no whitespace in the URL, so a position ends it.
const DATA_URL_POSITION = /data:text\/javascript,[^\s:]*(?::(\d+)(?::(\d+))?)?/g;

let filename = 'script.js';
let lines = [];

/** Rewrites every mention of the script's data: URL to its file name and original position. */
function cleanText(text) {
  return String(text).replace(DATA_URL_POSITION, (_, line, column) => {
    if (!line) return filename;
    const at = originalPosition(Number(line), Number(column ?? 1));
    return at ? `${filename}:${at.line}:${at.column}` : `${filename}`;
  });
}

function originalPosition(line, column) {
  const segments = lines[line - 1];
  if (!Array.isArray(segments) || segments.length === 0) return null;
  let best = segments[0];
  for (const segment of segments) {
    if (segment[0] <= column - 1) best = segment;
    else break;
  }
  return { line: best[1] + 1, column: best[2] + 1 };
}

Error.prepareStackTrace = (error, frames) => {
  let head;
  try {
    head = Error.prototype.toString.call(error);
  } catch {
    head = 'Error';
  }
  return cleanText(head + frames.map((frame) => `\n    at ${frame}`).join(''));
};

function describe(err) {
  if (err instanceof Error) return cleanText(err.stack ?? String(err));
  try {
    return `Uncaught ${cleanText(typeof err === 'string' ? JSON.stringify(err) : String(err))}`;
  } catch {
    return 'Uncaught exception';
  }
}

// Node's default report of an uncaught error quotes the failing source line under its URL;
// this prints the (mapped) stack alone and exits with 1, for exceptions and rejections alike.
function fail(err) {
  process.stderr.write(`${describe(err)}\n`);
  process.exit(1);
}
process.on('uncaughtException', fail);

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function startBridge(socketPath) {
  const server = createServer((client) => {
    const upstream = connect(socketPath);
    // The script's own sockets decide whether the process stays alive, not the bridge's.
    client.unref();
    upstream.unref();
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  server.unref();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(BRIDGE_PORT, '127.0.0.1', () => resolve(`http://127.0.0.1:${BRIDGE_PORT}`));
  });
}

// Node 20 has no global WebSocket; the SDK and graphql-ws use the global one when given none.
function provideWebSocket() {
  if (typeof globalThis.WebSocket === 'function') return;
  const require = createRequire(import.meta.url);
  Object.defineProperty(globalThis, 'WebSocket', {
    configurable: true,
    get() {
      const WebSocket = require('/node_modules/ws');
      Object.defineProperty(globalThis, 'WebSocket', { value: WebSocket, writable: true, configurable: true });
      return WebSocket;
    },
  });
}

let job;
try {
  job = JSON.parse(await readStdin());
  if (typeof job?.code !== 'string') throw new Error('no code');
} catch {
  process.stderr.write('sandbox: no script arrived on stdin\n');
  process.exit(70);
}
if (typeof job.filename === 'string') filename = job.filename;
if (Array.isArray(job.lines)) lines = job.lines;
process.env.SIGHTLINE_TOKEN = typeof job.token === 'string' ? job.token : '';
if (process.env.SIGHTLINE_API_SOCKET) process.env.SIGHTLINE_URL = await startBridge(process.env.SIGHTLINE_API_SOCKET);
provideWebSocket();

try {
  await import(DATA_URL + encodeURIComponent(job.code));
} catch (err) {
  fail(err);
}
