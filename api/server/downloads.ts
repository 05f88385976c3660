/**
 * File downloads by link: `/download/<sealed>`, where the sealed part (AES-GCM with the server's
 * key) names the organization, the file and an expiry. A link can be handed to a browser or an
 * email without a bearer header, and stops working after its time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../schema/database';
import type { SecretBox } from '../../schema/secrets';
import { files } from '../../schema/tables';
import type { FileStorage } from '../../infra/storage';

interface Grant {
  o: string;
  f: string;
  e: number;
}

export const DOWNLOAD_PATH = '/download/';

export function downloadLink(secrets: SecretBox, organizationId: string, fileId: string, ttlMs = 15 * 60_000): string {
  return DOWNLOAD_PATH + secrets.seal({ o: organizationId, f: fileId, e: Date.now() + ttlMs } satisfies Grant);
}

export function createDownloads(deps: { db: Db; secrets: SecretBox; storage: FileStorage }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const fail = (status: number, message: string) => void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
    let grant: Grant;
    try {
      grant = deps.secrets.open(decodeURIComponent((req.url ?? '').slice(DOWNLOAD_PATH.length).split('?')[0]!)) as Grant;
    } catch {
      return fail(404, 'This download link is not valid.');
    }
    if (typeof grant.e !== 'number' || grant.e < Date.now()) return fail(410, 'This download link has expired: ask for a new one.');
    const [row] = await deps.db.select().from(files).where(and(eq(files.organizationId, grant.o), eq(files.id, grant.f))).limit(1);
    if (!row) return fail(404, 'This file no longer exists.');
    try {
      const body = await deps.storage.get(row.storageKey);
      res.writeHead(200, {
        'content-type': row.contentType,
        'content-length': String(row.size),
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`,
        'cache-control': 'private, no-store',
      });
      body.on('error', () => res.destroy());
      body.pipe(res);
    } catch {
      fail(404, 'This file is no longer stored.');
    }
  };
}
