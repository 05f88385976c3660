import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConnectorError } from '../errors';
import { sqliteRelativeFile } from '../settings';

function inside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The real path of a datasource's SQLite file. Checked lexically and again after resolving
 * symlinks, so neither `..` nor a link placed inside the root can reach a file outside it.
 */
export async function resolveSqliteFile(root: string, file: string): Promise<string> {
  if (!sqliteRelativeFile.safeParse(file).success) {
    throw new ConnectorError('INVALID_SETTINGS', 'The SQLite file must be a relative name inside the SQLite folder');
  }
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    throw new ConnectorError('CONNECTION_FAILED', 'The SQLite folder is not available');
  }
  const lexical = path.resolve(realRoot, file);
  if (!inside(realRoot, lexical)) {
    throw new ConnectorError('INVALID_SETTINGS', 'The SQLite file must be inside the SQLite folder');
  }
  let real: string;
  try {
    real = await realpath(lexical);
  } catch {
    throw new ConnectorError('CONNECTION_FAILED', `SQLite file not found: ${file}`);
  }
  if (!inside(realRoot, real)) {
    throw new ConnectorError('INVALID_SETTINGS', 'The SQLite file must be inside the SQLite folder (a link leads outside it)');
  }
  const info = await stat(real);
  if (!info.isFile()) throw new ConnectorError('CONNECTION_FAILED', `Not a file: ${file}`);
  return real;
}
