/** Compiling a script on the worker: what runs in the sandbox, and what is refused with where. */
import { describe, expect, it } from 'vitest';
import { compileScript, type CompileResult } from '../compile-script';

function compiled(result: CompileResult) {
  if (!result.ok) throw new Error(`expected it to compile: ${result.errors.join('; ')}`);
  return result;
}

describe('compileScript', () => {
  it('strips TypeScript types and points the SDK, @sightline/script and ws at the image', async () => {
    const out = compiled(
      await compileScript(
        `import { createClient, type SightlineClient } from '@sightline/sdk';
import { client } from '@sightline/script';
import WebSocket from 'ws';
import { readFileSync } from 'fs';
import os from 'node:os';
interface Row { n: number }
const rows: Row[] = [{ n: 1 }];
const c: SightlineClient | null = null;
console.log(createClient, client, WebSocket, readFileSync, os, rows, c);`,
        'typescript',
      ),
    );
    expect(out.filename).toBe('script.ts');
    expect(out.code).toContain('from "file:///node_modules/@sightline/sdk/dist/index.js"');
    expect(out.code).toContain('from "file:///node_modules/@sightline/script/index.mjs"');
    expect(out.code).toContain('from "file:///node_modules/ws/wrapper.mjs"');
    expect(out.code).toContain('from "node:fs"');
    expect(out.code).toContain('from "node:os"');
    expect(out.code).not.toMatch(/interface|: Row|sourceMappingURL/);
  });

  it('keeps top-level await and maps generated lines back to the source', async () => {
    const out = compiled(await compileScript(`// a comment\n\nconst answer: number = await Promise.resolve(42);\nconsole.log(answer);\n`, 'typescript'));
    expect(out.code).toMatch(/await Promise\.resolve\(42\)/);
    const generated = out.code.split('\n').findIndex((l) => l.includes('console.log'));
    // [generated column, source line, source column], 0-based: console.log is on the 4th line.
    expect(out.lines[generated]?.[0]).toEqual([0, 3, 0]);
  });

  it('reports a syntax error with its 1-based line and column', async () => {
    expect(await compileScript(`const a = 1;\nconst b = a +;\n`, 'javascript')).toEqual({
      ok: false,
      filename: 'script.js',
      errors: ['script.js:2:14: Unexpected ";"'],
      message: 'does not compile: script.js:2:14: Unexpected ";"',
    });
  });

  it('refuses packages and files that are not in the sandbox, at their import', async () => {
    // Used, since TypeScript drops imports it never uses (they may be types only).
    const source = `import _ from 'lodash';\nimport x from './helper';\nimport sub from '@sightline/sdk/internal';\nconsole.log(_, x, sub);\n`;
    const result = await compileScript(source, 'typescript');
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual([
      expect.stringMatching(/^script\.ts:1:15: cannot import "lodash": only @sightline\/sdk, @sightline\/script, ws and node: built-ins can be imported$/),
      expect.stringMatching(/^script\.ts:2:15: cannot import "\.\/helper"/),
      expect.stringMatching(/^script\.ts:3:17: cannot import "@sightline\/sdk\/internal"/),
    ]);
  });

  it('refuses a script too large to load in a small sandbox', async () => {
    const result = await compileScript(`console.log(${JSON.stringify('x'.repeat(1_500_000))}.length);`, 'javascript');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(/^is too large: script\.js: compiled, it is 1\.4 MB; a script may be at most 1 MB$/);
  });

  it('treats TypeScript syntax in a JavaScript script as an error', async () => {
    const result = await compileScript(`const n: number = 1;\n`, 'javascript');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.errors[0]).toMatch(/^script\.js:1:8: /);
  });
});
