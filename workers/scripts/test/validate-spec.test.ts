/** Specs the runner refuses before it starts anything, and the reason it gives. */
import { describe, expect, it } from 'vitest';
import { ScriptRunnerError } from '../errors';
import type { ScriptSpec } from '../types';
import { validateSpec } from '../validate-spec';

const MB = 1024 * 1024;
const good: ScriptSpec = {
  code: 'console.log(1)',
  runtime: 'javascript',
  apiTarget: { host: '127.0.0.1', port: 4000 },
  token: 't',
  env: { SIGHTLINE_TASK_ID: 'task_1' },
  limits: { timeoutMs: 5000, memoryBytes: 64 * MB, nanoCpus: 500_000_000, pidsLimit: 64, logBytes: 65536 },
};

function refusal(spec: ScriptSpec): string {
  try {
    validateSpec(spec);
  } catch (err) {
    expect(err).toBeInstanceOf(ScriptRunnerError);
    expect((err as ScriptRunnerError).code).toBe('INVALID_SPEC');
    return (err as Error).message;
  }
  throw new Error('the spec was accepted');
}

describe('validateSpec', () => {
  it('accepts a complete spec', () => {
    expect(() => validateSpec(good)).not.toThrow();
  });

  it('refuses limits out of range, naming the limit', () => {
    expect(refusal({ ...good, limits: { ...good.limits, memoryBytes: 1 * MB } })).toMatch(/^limits\.memoryBytes must be a whole number from 33554432/);
    expect(refusal({ ...good, limits: { ...good.limits, timeoutMs: 0 } })).toMatch(/^limits\.timeoutMs /);
    expect(refusal({ ...good, limits: { ...good.limits, pidsLimit: 4 } })).toMatch(/^limits\.pidsLimit /);
  });

  it('refuses variables the sandbox owns or that change how node starts', () => {
    expect(refusal({ ...good, env: { NODE_OPTIONS: '--allow-fs-read=*' } })).toBe('env: NODE_OPTIONS is set by the sandbox and cannot be given');
    expect(refusal({ ...good, env: { SIGHTLINE_TOKEN: 'x' } })).toMatch(/SIGHTLINE_TOKEN is set by the sandbox/);
    expect(refusal({ ...good, env: { 'A=B': 'x' } })).toMatch(/is not a variable name/);
  });

  it('refuses an API target without a host or a valid port', () => {
    expect(refusal({ ...good, apiTarget: { host: '', port: 4000 } })).toMatch(/apiTarget\.host/);
    expect(refusal({ ...good, apiTarget: { host: 'api', port: 70000 } })).toMatch(/apiTarget\.port/);
  });
});
