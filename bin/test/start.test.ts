/** `npm start` on a fresh data folder: the embedded platform comes up and answers GraphQL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

describe('the embedded entry point', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-start-'));
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with no service, prints its GraphQL URL, and signs a user up', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'bin/sightline.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed within 30 s:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /GraphiQL: (http:\/\/\S+\/graphql)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { signUp(input: {email: "first@example.com", password: "a long password", organizationName: "First"}) { role } }' }),
    });
    expect(await res.json()).toEqual({ data: { signUp: { role: 'OWNER' } } });
  }, 45_000);
});
