/**
 * The `rel="next"` target of a `Link` header (RFC 8288), resolved against the page it came
 * with, or undefined when there is none. Several headers, several links per header and
 * several relation types per link (`rel="next last"`) are all read.
 */
export function nextLinkOf(header: string | readonly string[] | undefined, base: string): string | undefined {
  if (header === undefined) return undefined;
  const text = typeof header === 'string' ? header : header.join(', ');
  const link = /<([^>]*)>((?:\s*;\s*[^;,<]*)*)/g;
  for (let match = link.exec(text); match !== null; match = link.exec(text)) {
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (relations.includes('next')) {
      try {
        return new URL(match[1] as string, base).href;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
