/** The small pure pieces, without a server. */
import { describe, expect, it } from 'vitest';
import { graphqlEndpoint, websocketEndpoint } from '../src/endpoint';
import { rowsToObjects } from '../src/rows';
import { backoff } from '../src/transport/backoff';
import { mapStream } from '../src/transport/event-stream';

describe('endpoints', () => {
  it.each(['http://h:4000', 'http://h:4000/', 'http://h:4000/graphql', 'http://h:4000/graphql/'])('%s', (url) => {
    expect(graphqlEndpoint(url)).toBe('http://h:4000/graphql');
    expect(websocketEndpoint(url)).toBe('ws://h:4000/graphql');
  });
  it('https becomes wss', () => expect(websocketEndpoint('https://dash.example.com')).toBe('wss://dash.example.com/graphql'));
});

describe('rows', () => {
  it('keys each value by its column', () => {
    const columns = [{ name: 'country', type: 'string' }, { name: 'sum_amount', type: 'number' }];
    expect(rowsToObjects(columns, [['FR', 1520.5], ['US', null]])).toEqual([{ country: 'FR', sum_amount: 1520.5 }, { country: 'US', sum_amount: null }]);
  });
  it('refuses what is not rows', () => {
    expect(() => rowsToObjects([], { rows: 1 })).toThrow(/list of rows/);
  });
});

describe('backoff', () => {
  it('grows from the base, stays under the cap, and is jittered', async () => {
    const waits: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      waits.push(ms);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout;
    try {
      const wait = backoff(100, 1000, () => 1);
      for (const attempt of [0, 1, 2, 3, 10]) await wait(attempt);
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(waits).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe('event streams', () => {
  it('return() ends a stream whose next() is still waiting', async () => {
    let release: (() => void) | undefined;
    const inner: AsyncIterator<number> = {
      next: () => new Promise((resolve) => (release = () => resolve({ done: true, value: undefined }))),
      return: async () => {
        release?.();
        return { done: true, value: undefined };
      },
    };
    const stream = mapStream(inner, (n) => n * 2);
    const pending = stream.next();
    await stream.return();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
