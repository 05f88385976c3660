/**
 * Secrets at rest: AES-256-GCM with a key derived from the server's secret key. The sealed
 * form is `v1.<iv>.<tag>.<ciphertext>` in base64url, so a key rotation can add `v2` later.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

export class SecretBox {
  readonly #key: Buffer;

  constructor(secretKey: Buffer) {
    if (secretKey.length < 32) throw new Error('the secret key must be at least 32 bytes');
    this.#key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'sightline/secrets/v1', 32));
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string): unknown {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('sealed secret has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as unknown;
  }
}

/** SHA-256 of a high-entropy token: enough for lookup, since such tokens cannot be guessed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
