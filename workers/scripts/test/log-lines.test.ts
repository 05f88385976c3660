/** Output as the user sees it: whole lines per stream, and a budget past which it is dropped. */
import { describe, expect, it } from 'vitest';
import { LogLines } from '../log-lines';
import type { LogLine } from '../types';

function collect(limitBytes: number) {
  const lines: LogLine[] = [];
  const logs = new LogLines({ limitBytes, onLine: (l) => lines.push(l) });
  return { logs, lines, texts: () => lines.map((l) => `${l.stream}: ${l.text}`) };
}

describe('LogLines', () => {
  it('joins lines split across chunks, per stream, including split UTF-8 characters', () => {
    const { logs, texts } = collect(10_000);
    const euro = Buffer.from('€');
    logs.push('stdout', Buffer.from('hel'));
    logs.push('stderr', Buffer.from('oops\r\n'));
    logs.push('stdout', Buffer.concat([Buffer.from('lo '), euro.subarray(0, 1)]));
    logs.push('stdout', Buffer.concat([euro.subarray(1), Buffer.from('\n\nlast')]));
    logs.end();
    expect(texts()).toEqual(['stderr: oops', 'stdout: hello €', 'stdout: ', 'stdout: last']);
  });

  it('passes lines until the budget, then one notice, and drops the rest', () => {
    const { logs, texts } = collect(20);
    for (let i = 0; i < 10; i++) logs.push('stdout', Buffer.from(`line ${i}\n`));
    logs.end();
    expect(logs.truncated).toBe(true);
    expect(texts()).toEqual([
      'stdout: line 0',
      'stdout: line 1',
      'stderr: [sightline] output truncated: the script printed more than its log limit of 20 bytes; the rest was dropped',
    ]);
  });

  it('does not wait for the end of a line that can no longer fit', () => {
    const { logs, texts } = collect(1024);
    logs.push('stdout', Buffer.alloc(5000, 'x'));
    expect(logs.truncated).toBe(true);
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toMatch(/log limit of 1 KB/);
  });

  it('lets a watcher see lines past the budget, to tell why a script died', () => {
    const watched: string[] = [];
    const logs = new LogLines({ limitBytes: 10, onLine: () => undefined, watch: (stream, text) => watched.push(`${stream}: ${text}`) });
    logs.push('stdout', Buffer.from('x'.repeat(100) + '\n'));
    logs.push('stderr', Buffer.from('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n'));
    expect(logs.truncated).toBe(true);
    expect(watched.at(-1)).toMatch(/^stderr: FATAL ERROR: .*JavaScript heap out of memory$/);
  });
});
