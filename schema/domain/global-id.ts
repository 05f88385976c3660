/** Global ids as clients see them: base64url of `Type:uuid` (decoding is the API's). */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${String(id)}`, 'utf8').toString('base64url');
}
