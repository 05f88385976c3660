import type { IncomingHttpHeaders } from 'node:http';
import { RestSourceError } from './errors';
import { describeJson, valueAtPath, type Json } from './json-path';
import { nextLinkOf } from './link-header';
import type { RestSource } from './rest-source';

/** What a fetched page tells the pager about where to go next. */
export interface FetchedPage {
  /** The URL the page finally came from (after redirects): relative links resolve against it. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Json;
  rowCount: number;
}

/** Walks a source's pages: the first URL, then each next one until the pagination says stop. */
export interface Pager {
  readonly firstUrl: string;
  /** The next page's URL, or undefined when the page just read was the last. */
  next(page: FetchedPage): string | undefined;
}

function withParams(base: string, params: Record<string, string | number | undefined>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url.href;
}

export function createPager(source: RestSource): Pager {
  const pagination = source.pagination;
  switch (pagination.kind) {
    case 'none':
      return { firstUrl: source.url, next: () => undefined };

    case 'page': {
      let page = pagination.startPage;
      const urlFor = (n: number): string =>
        withParams(source.url, {
          [pagination.pageParam]: n,
          ...(pagination.pageSizeParam ? { [pagination.pageSizeParam]: pagination.pageSize } : {}),
        });
      return {
        firstUrl: urlFor(page),
        next: ({ rowCount }) => {
          if (rowCount === 0) return undefined;
          page += 1;
          return urlFor(page);
        },
      };
    }

    case 'offset': {
      let offset = 0;
      const urlFor = (at: number): string =>
        withParams(source.url, { [pagination.offsetParam]: at, [pagination.limitParam]: pagination.limit });
      return {
        firstUrl: urlFor(offset),
        next: ({ rowCount }) => {
          if (rowCount < pagination.limit) return undefined;
          // An API that returns more than asked for is skipped past what it returned, not re-read.
          offset += rowCount;
          return urlFor(offset);
        },
      };
    }

    case 'cursor': {
      const seen = new Set<string>();
      return {
        firstUrl: source.url,
        next: ({ body }) => {
          const found = valueAtPath(body, pagination.cursorPath);
          if (!found.found || found.value === null || found.value === '') return undefined;
          const cursor = found.value;
          if (typeof cursor !== 'string' && typeof cursor !== 'number') {
            throw new RestSourceError(
              'BAD_CURSOR',
              `The cursor at "${pagination.cursorPath}" is ${describeJson(cursor)}; it must be a string or a number`,
            );
          }
          const key = String(cursor);
          if (seen.has(key)) {
            throw new RestSourceError('PAGINATION_LOOP', `The API returned the same cursor at "${pagination.cursorPath}" twice; paging stopped to avoid a loop`);
          }
          seen.add(key);
          return withParams(source.url, { [pagination.cursorParam]: key });
        },
      };
    }

    case 'link': {
      const seen = new Set<string>([new URL(source.url).href]);
      return {
        firstUrl: source.url,
        next: ({ headers, url }) => {
          const next = nextLinkOf(headers.link, url);
          if (next === undefined) return undefined;
          if (seen.has(next)) {
            throw new RestSourceError('PAGINATION_LOOP', 'The API\'s Link header points back to a page already read; paging stopped to avoid a loop');
          }
          seen.add(next);
          return next;
        },
      };
    }
  }
}
