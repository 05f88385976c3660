/**
 * The one way out of a sandbox: a Unix socket in a private per-run folder on the worker host,
 * each connection to it piped over TCP to the API. The folder is bind-mounted read-only into
 * the container, which has no network of its own, so the API is all a script can reach.
 *
 * Who may connect: the folder is 0700 and only what the container's user needs is added —
 * with the worker running as root, the container's group gets search on the folder and write
 * on the socket (0710, 0660); running as that same user, nothing is added; running as another
 * user (a developer's machine), other users get search and write (0711, 0666), which lets a
 * local user who guesses the random name reach the API through it — no more than the API's
 * port already gives them.
 */
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { ScriptRunnerError } from './errors';
import type { ApiTarget } from './types';

export const API_SOCKET_NAME = 'api.sock';
/** A script holding more connections than this is refused further ones (worker file descriptors). */
const MAX_CONNECTIONS = 64;

export interface ApiBridge {
  /** The folder to mount; it holds only the socket. */
  readonly dir: string;
  readonly socketPath: string;
  /** Stops accepting, cuts the open connections and removes the folder. */
  close(): Promise<void>;
}

export interface ApiBridgeOptions {
  parentDir: string;
  containerUid: number;
  containerGid: number;
}

function pipeTo(target: ApiTarget, client: Socket, open: Set<Socket>): void {
  const upstream = connect({ host: target.host, port: target.port });
  upstream.setNoDelay(true);
  open.add(client);
  open.add(upstream);
  const drop = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', drop);
  upstream.on('error', drop);
  // 'close' comes after both directions ended (or an error): nothing more can be relayed.
  client.once('close', () => {
    open.delete(client);
    upstream.destroy();
  });
  upstream.once('close', () => {
    open.delete(upstream);
    client.destroy();
  });
  client.pipe(upstream);
  upstream.pipe(client);
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function grantAccess(dir: string, socketPath: string, options: ApiBridgeOptions): Promise<void> {
  const uid = process.getuid?.() ?? -1;
  if (uid === options.containerUid) return;
  // The socket first: until the folder opens up, nobody but us can reach it anyway.
  if (uid === 0) {
    await chown(socketPath, 0, options.containerGid);
    await chmod(socketPath, 0o660);
    await chown(dir, 0, options.containerGid);
    await chmod(dir, 0o710);
  } else {
    await chmod(socketPath, 0o666);
    await chmod(dir, 0o711);
  }
}

export async function openApiBridge(target: ApiTarget, options: ApiBridgeOptions): Promise<ApiBridge> {
  let dir: string;
  try {
    dir = await mkdtemp(join(options.parentDir, 'sightline-script-'));
  } catch (err) {
    throw new ScriptRunnerError('BRIDGE_FAILED', `cannot create the run folder in ${options.parentDir}: ${(err as Error).message}`, { cause: err });
  }
  const socketPath = join(dir, API_SOCKET_NAME);
  const open = new Set<Socket>();
  const server = createServer((client) => pipeTo(target, client, open));
  server.maxConnections = MAX_CONNECTIONS;
  const close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of open) socket.destroy();
    await closed;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await listen(server, socketPath);
    await grantAccess(dir, socketPath, options);
  } catch (err) {
    await close().catch(() => undefined);
    throw new ScriptRunnerError('BRIDGE_FAILED', `cannot open the API socket in ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return { dir, socketPath, close };
}
