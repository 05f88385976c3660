/** Refuses a spec the runner cannot run safely, before anything is started. */
import { ScriptRunnerError } from './errors';
import type { ScriptSpec } from './types';

const MB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

// Variables the bootstrap owns, and those that would change how node or the loader start.
const RESERVED_ENV = /^(SIGHTLINE_URL|SIGHTLINE_TOKEN|SIGHTLINE_API_SOCKET|NODE_.*|LD_.*|UV_.*|PATH|HOME)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function invalid(message: string): never {
  throw new ScriptRunnerError('INVALID_SPEC', message);
}

function integerIn(name: string, value: unknown, min: number, max: number, unit = ''): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(`limits.${name} must be a whole number from ${min}${unit} to ${max}${unit}, not ${String(value)}`);
  }
}

export function validateSpec(spec: ScriptSpec): void {
  if (typeof spec.code !== 'string') invalid('code must be a string');
  if (spec.runtime !== 'javascript' && spec.runtime !== 'typescript') invalid(`runtime must be 'javascript' or 'typescript', not ${String(spec.runtime)}`);
  if (typeof spec.token !== 'string') invalid('token must be a string');
  const target = spec.apiTarget;
  if (!target || typeof target.host !== 'string' || target.host.length === 0) invalid('apiTarget.host must name the API host');
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) invalid(`apiTarget.port must be a TCP port, not ${String(target.port)}`);
  const limits = spec.limits;
  if (!limits) invalid('limits are required');
  integerIn('timeoutMs', limits.timeoutMs, 1, DAY_MS);
  // Below about 32 MB node cannot even start; Docker's own floor is 6 MB.
  integerIn('memoryBytes', limits.memoryBytes, 32 * MB, 1024 * 1024 * MB);
  integerIn('nanoCpus', limits.nanoCpus, 10_000_000, 1024 * 1e9);
  // node alone runs about a dozen threads (libuv's pool, V8's workers), and each counts.
  integerIn('pidsLimit', limits.pidsLimit, 16, 65_536);
  integerIn('logBytes', limits.logBytes, 1, 1024 * MB);
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    if (!ENV_NAME.test(name)) invalid(`env: ${JSON.stringify(name)} is not a variable name`);
    if (RESERVED_ENV.test(name)) invalid(`env: ${name} is set by the sandbox and cannot be given`);
    if (typeof value !== 'string' || value.includes('\0')) invalid(`env: ${name} must be a string without NUL characters`);
  }
  if (spec.image !== undefined && (typeof spec.image !== 'string' || spec.image.length === 0)) invalid('image must name an image');
  if (spec.runtimeName !== undefined && (typeof spec.runtimeName !== 'string' || spec.runtimeName.length === 0)) invalid('runtimeName must name a runtime');
}
