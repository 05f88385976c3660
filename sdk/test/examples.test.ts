/** The README's example runs as written against a started server. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/harness';
import { createClient } from '../src';

let s: TestServer;
let account: { token: string; email: string };

beforeAll(async () => {
  s = await startTestServer('pglite', { SAMPLE_DATASOURCE: 'true' });
  account = await s.signUp('Examples');
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe('sdk/examples', () => {
  it('quickstart.ts logs in, lists datasources, reads the sample and follows a live query', async () => {
    const script = fileURLToPath(new URL('../examples/quickstart.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--updates', '2'], {
      env: { ...process.env, SIGHTLINE_URL: s.url, SIGHTLINE_EMAIL: account.email, SIGHTLINE_PASSWORD: 'a long password' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const sdk = createClient({ url: s.url, token: account.token });
    let notified = false;
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      // The first live result is in: change the data so that a second one comes.
      if (line.startsWith('live:') && !notified) {
        notified = true;
        const orders = (await sdk.datasources.list()).items.find((d) => d.name === 'Sample: orders');
        await sdk.notifyDataChanged(orders!.id);
      }
    }
    expect(await exited, stderr).toBe(0);
    expect(lines[0]).toMatch(/^logged in as .+ \(OWNER\) in Examples$/);
    expect(lines.some((l) => /^datasource: Sample: orders \[SQLITE\]/.test(l))).toBe(true);
    expect(lines.filter((l) => /^ {2}[A-Z]{2} {2}\d+\.\d\d {2}\(\d+ orders\)$/.test(l))).toHaveLength(5);
    expect(lines.filter((l) => l.startsWith('live: '))).toHaveLength(2);
    await sdk.close();
  }, 60_000);
});
