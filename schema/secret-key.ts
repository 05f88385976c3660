/**
 * The server's secret key. Distributed deployments must supply a strong one; the embedded mode
 * keeps one generated per data folder, so a new user never has to think about it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export class WeakSecretKeyError extends Error {
  override name = 'WeakSecretKeyError';
}

const KNOWN_WEAK = new Set(['changeme', 'change-me', 'secret', 'password', 'sightline', 'development', 'default']);

/** Accepts 32+ random bytes as hex or base64; refuses short, repetitive or well-known keys. */
export function parseSecretKey(text: string | undefined): Buffer {
  const raw = (text ?? '').trim();
  if (!raw) throw new WeakSecretKeyError('SIGHTLINE_SECRET_KEY is not set: the distributed mode needs a secret key of at least 32 random bytes (hex or base64), e.g. `openssl rand -hex 32`');
  if (KNOWN_WEAK.has(raw.toLowerCase())) throw new WeakSecretKeyError('SIGHTLINE_SECRET_KEY is a well-known default; generate one with `openssl rand -hex 32`');
  const bytes = /^[0-9a-fA-F]+$/.test(raw) && raw.length % 2 === 0 ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (bytes.length < 32) throw new WeakSecretKeyError(`SIGHTLINE_SECRET_KEY has ${bytes.length} bytes; at least 32 random bytes are required`);
  if (new Set(bytes).size < 16) throw new WeakSecretKeyError('SIGHTLINE_SECRET_KEY is too repetitive to be random; generate one with `openssl rand -hex 32`');
  return bytes;
}

/** The embedded mode's key: read from, or created in, `<dataDir>/secret.key` (mode 0600). */
export function loadOrCreateLocalKey(dataDir: string): Buffer {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return parseSecretKey(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
  return key;
}
