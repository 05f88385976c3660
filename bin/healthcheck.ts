/**
 * Container health checks, run by the images' HEALTHCHECK with node alone (there is no shell or
 * curl in them):
 *
 *   node --import tsx bin/healthcheck.ts api      GET /health on PORT answers 2xx
 *   node --import tsx bin/healthcheck.ts worker   the worker (PID 1) is running, its Redis answers
 *                                                 PING, and /health on METRICS_PORT when that is set
 *
 * Exit 0 is healthy; otherwise one line on stderr says why (Docker keeps it in `inspect`).
 */
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

const TIMEOUT_MS = 4000;

async function httpHealth(port: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`/health on port ${port} answered ${res.status}`);
}

/** The main process of the container: present, and neither a zombie nor stopped. */
function mainProcessRunning(): void {
  let stat: string;
  try {
    stat = readFileSync('/proc/1/stat', 'utf8');
  } catch {
    return; // not on Linux (a local run): nothing to look at
  }
  // The state follows the parenthesised command name, which may itself contain spaces.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'T' || state === 'X') throw new Error(`the main process is in state ${state}`);
}

function encode(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** PING over the Redis protocol (AUTH first when the URL carries credentials). */
async function redisPing(url: string): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || 6379);
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const socket: Socket =
    u.protocol === 'rediss:' ? tlsConnect({ host, port, servername: host }) : tcpConnect({ host, port });
  const commands: string[] = [];
  if (u.password) {
    const password = decodeURIComponent(u.password);
    commands.push(u.username ? encode('AUTH', decodeURIComponent(u.username), password) : encode('AUTH', password));
  }
  commands.push(encode('PING'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis at ${host}:${port} did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    let buffer = '';
    socket.setEncoding('utf8');
    socket.once(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write(commands.join('')));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.startsWith('-')) reject(new Error(`Redis answered ${buffer.split('\r\n')[0]}`));
      else if (buffer.includes('+PONG\r\n')) resolve();
    });
    socket.once('error', (err) => reject(new Error(`Redis at ${host}:${port}: ${err.message}`)));
  }).finally(() => {
    socket.destroy();
  });
}

async function main(kind: string | undefined): Promise<void> {
  const env = process.env;
  if (kind === 'api') return httpHealth(env.PORT || '4000');
  if (kind === 'worker') {
    mainProcessRunning();
    if (!env.REDIS_URL) throw new Error('REDIS_URL is not set: a worker process needs Redis');
    await redisPing(env.REDIS_URL);
    if (env.METRICS_PORT) await httpHealth(env.METRICS_PORT);
    return;
  }
  throw new Error('usage: healthcheck.ts api|worker');
}

main(process.argv[2]).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`unhealthy: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
