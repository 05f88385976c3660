/** Relay connections as pages, and as one stream of every item. */

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface PageArgs {
  first?: number;
  after?: string;
}

export interface Page<T> {
  items: T[];
  pageInfo: PageInfo;
}

export interface ListAllOptions {
  /** Items fetched per request. */
  pageSize?: number;
  signal?: AbortSignal;
}

export type FetchPage<T> = (args: { first: number; after: string | null }, signal?: AbortSignal) => Promise<Page<T>>;

/** Every item of a connection, newest first, fetching the next page only when it is needed. */
export async function* listAll<T>(fetchPage: FetchPage<T>, options: ListAllOptions = {}): AsyncGenerator<T, void, undefined> {
  const first = options.pageSize ?? 50;
  let after: string | null = null;
  for (;;) {
    const page: Page<T> = await fetchPage({ first, after }, options.signal);
    yield* page.items;
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) return;
    after = page.pageInfo.endCursor;
  }
}

/** The nodes of a connection as a page. */
export function pageOf<T>(connection: { edges: readonly { node: T }[]; pageInfo: PageInfo }): Page<T> {
  return { items: connection.edges.map((e) => e.node), pageInfo: connection.pageInfo };
}
