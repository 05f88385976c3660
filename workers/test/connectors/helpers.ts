import type { RawValue } from '../../../query/types';
import { ConnectorError, type ConnectorErrorCode } from '../../connectors/errors';

export async function collect(iterable: AsyncIterable<RawValue[][]>): Promise<{ rows: RawValue[][]; chunks: number[] }> {
  const rows: RawValue[][] = [];
  const chunks: number[] = [];
  for await (const chunk of iterable) {
    chunks.push(chunk.length);
    rows.push(...chunk);
  }
  return { rows, chunks };
}

/** The ConnectorError `work` fails with; fails the test if it does not fail so. */
export async function connectorFailure(work: Promise<unknown>, code?: ConnectorErrorCode): Promise<ConnectorError> {
  try {
    await work;
  } catch (err) {
    if (!(err instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(err)}`);
    if (code && err.code !== code) throw new Error(`expected ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  throw new Error('expected a failure, but it succeeded');
}

/** Polls until `check` is true; returns how long it took. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function elapsedSince(started: number): number {
  return Date.now() - started;
}
