/**
 * Global ids: base64url of `Type:uuid`. Decoding checks the shape; whether the row exists *in
 * the caller's organization* is for the loaders, so a foreign id looks exactly like a missing one.
 */
import { badInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export { encodeGlobalId } from '../../schema/domain/global-id';

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) {
    throw badInput('is not a valid id', 'id');
  }
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = text.indexOf(':');
  const typename = text.slice(0, sep);
  const id = text.slice(sep + 1);
  if (sep <= 0 || !/^[A-Za-z]+$/.test(typename) || !UUID.test(id)) throw badInput('is not a valid id', 'id');
  return { typename, id };
}

/** Decodes an id that must name one type; another type's id is a bad input. */
export function expectId(globalId: string, typename: string, field = 'id'): string {
  const decoded = decodeGlobalId(globalId);
  if (decoded.typename !== typename) throw badInput(`expected a ${typename} id`, field);
  return decoded.id;
}

export const isUuid = (s: string) => UUID.test(s);
