/** The per-run way to the API, on the worker host: a private socket relaying to the API's port. */
import { existsSync, statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiBridge } from '../api-bridge';
import { ScriptRunnerError } from '../errors';

let api: Server;
let port = 0;

beforeAll(async () => {
  // Answers each connection with what it received, upper-cased.
  api = createServer((socket) => socket.on('data', (d) => socket.write(String(d).toUpperCase())));
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', () => resolve()));
  port = (api.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

function exchange(path: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path, () => socket.write(text));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(String(d));
    });
    socket.once('error', reject);
  });
}

describe('openApiBridge', () => {
  it('relays connections on its socket to the API, in a folder only the sandbox user may enter', async () => {
    const bridge = await openApiBridge({ host: '127.0.0.1', port }, { parentDir: tmpdir(), containerUid: 10001, containerGid: 10001 });
    try {
      expect(await exchange(bridge.socketPath, 'hello')).toBe('HELLO');
      const mode = statSync(bridge.dir).mode & 0o777;
      // Never readable (listable) or writable by others; at most searchable to reach the socket.
      expect(mode & 0o066).toBe(0);
      if (process.getuid?.() === 0) {
        expect(mode).toBe(0o710);
        expect(statSync(bridge.dir).gid).toBe(10001);
        expect(statSync(bridge.socketPath).mode & 0o777).toBe(0o660);
      }
    } finally {
      await bridge.close();
    }
    expect(existsSync(bridge.dir)).toBe(false);
  });

  it('fails with BRIDGE_FAILED naming the folder it could not create', async () => {
    const err = await openApiBridge({ host: '127.0.0.1', port }, { parentDir: '/nonexistent/sightline', containerUid: 10001, containerGid: 10001 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScriptRunnerError);
    expect((err as ScriptRunnerError).code).toBe('BRIDGE_FAILED');
    expect((err as Error).message).toMatch(/cannot create the run folder in \/nonexistent\/sightline/);
  });
});
