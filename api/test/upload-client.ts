/** Sends a file with the GraphQL multipart request spec, as browsers and the SDK do. */
import { randomBytes } from 'node:crypto';

export async function uploadFile(url: string, token: string | null, filename: string, content: Buffer | string, name?: string) {
  const boundary = `----sl${randomBytes(8).toString('hex')}`;
  const operations = JSON.stringify({ query: 'mutation($f: Upload!, $n: String) { uploadFile(file: $f, name: $n) { id name size sha256 } }', variables: { f: null, n: name ?? null } });
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${operations}\r\n`),
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="map"\r\n\r\n{"0":["variables.f"]}\r\n`),
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="0"; filename="${filename}"\r\ncontent-type: text/csv\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as { data?: { uploadFile: { id: string; name: string; size: number; sha256: string } } | null; errors?: { message: string; extensions?: { code?: string } }[] } };
}
