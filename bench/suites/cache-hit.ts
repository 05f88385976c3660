/**
 * A cached query through the API — `runQuery` over GraphQL/HTTP answered from the Redis result
 * cache — against a bare graphql-yoga server whose one field is a Redis GET of a value the size
 * of that answer. Same HTTP client, keep-alive, loopback; the client runs in a worker thread.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../../testkit/services';
import { startLoadThread, type LoadThread } from '../lib/http-load-remote';
import type { HttpLoadSpec } from '../lib/http-load';
import { compareWithMargin } from '../lib/margin';
import { progress } from '../lib/progress';
import { compare } from '../lib/result';
import { summarize, summarizeDurations } from '../lib/stats';
import type { BenchResult, BenchSuite, Measurement } from '../lib/types';
import { startBenchPlatform } from './jobs/platform';
import { createEventsTable, eventsDatasource, RUN_QUERY, warmCache } from './jobs/warehouse';

const QUERY = { dimensions: ['region'], measures: [{ agg: 'sum', field: 'amount' }, { agg: 'count' }] };
const LATENCY_ROUNDS = 6;
const LATENCY_ROUND_MS = 1000;
const LOAD_ROUNDS = 4;
const LOAD_ROUND_MS = 1500;
const CONCURRENCY = 32;

async function startBareYoga(redis: Redis, key: string): Promise<{ url: string; server: Server }> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { value: String }', resolvers: { Query: { value: () => redis.get(key) } } }),
    logging: false,
    landingPage: false,
    graphiql: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

interface Side {
  spec: (concurrency: number, durationMs: number) => HttpLoadSpec;
  latencies: number[];
  rates: number[];
  errors: number;
}

async function alternate(load: LoadThread, sides: [Side, Side], rounds: number, concurrency: number, durationMs: number, keep: 'latency' | 'rate'): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? sides : [sides[1], sides[0]];
    for (const side of order) {
      const r = await load.run(side.spec(concurrency, durationMs));
      side.errors += r.errors;
      if (keep === 'latency') side.latencies.push(...r.latenciesNs);
      else side.rates.push(r.latenciesNs.length / (r.elapsedNs / 1e9));
    }
  }
}

const suite: BenchSuite = {
  name: 'cache-hit',
  description: 'a cache hit through GraphQL over HTTP against a bare yoga server doing one Redis GET',
  async run() {
    const p = await startBenchPlatform();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    const load = startLoadThread();
    let bare: Server | null = null;
    try {
      const token = await p.signUp();
      await createEventsTable(p);
      const ds = await eventsDatasource(p, token);
      progress('cache-hit · warming the result cache');
      await warmCache(p, token, ds, QUERY);
      const body = JSON.stringify({ query: RUN_QUERY, variables: { id: ds, q: QUERY, r: false } });
      const sample = await fetch(`${p.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      const answer = await sample.text();
      const key = `${p.redisPrefix}:bare-value`;
      await redis.set(key, 'x'.repeat(answer.length));
      const yoga = await startBareYoga(redis, key);
      bare = yoga.server;
      const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
      const figure: Side = {
        spec: (concurrency, durationMs) => ({ url: `${p.url}/graphql`, method: 'POST', headers: { ...headers, authorization: `Bearer ${token}` }, body, concurrency, durationMs, expect: '"cached":true' }),
        latencies: [], rates: [], errors: 0,
      };
      const baseline: Side = {
        spec: (concurrency, durationMs) => ({ url: yoga.url, method: 'POST', headers, body: JSON.stringify({ query: '{ value }' }), concurrency, durationMs, expect: 'xxxx' }),
        latencies: [], rates: [], errors: 0,
      };
      progress('cache-hit · warm-up');
      await alternate(load, [figure, baseline], 2, 4, 500, 'rate');
      figure.rates = [];
      baseline.rates = [];
      progress(`cache-hit · latency, one request at a time (${LATENCY_ROUNDS} alternated rounds of ${LATENCY_ROUND_MS} ms)`);
      await alternate(load, [figure, baseline], LATENCY_ROUNDS, 1, LATENCY_ROUND_MS, 'latency');
      const serial = { figure: [...figure.latencies], baseline: [...baseline.latencies] };
      figure.latencies = [];
      baseline.latencies = [];
      progress(`cache-hit · throughput, ${CONCURRENCY} keep-alive connections (${LOAD_ROUNDS} alternated rounds of ${LOAD_ROUND_MS} ms)`);
      await alternate(load, [figure, baseline], LOAD_ROUNDS, CONCURRENCY, LOAD_ROUND_MS, 'rate');
      await alternate(load, [figure, baseline], 2, CONCURRENCY, LOAD_ROUND_MS, 'latency');

      const figureLabel = `runQuery (cached) over HTTP, ${answer.length} B answer`;
      const baselineLabel = `bare graphql-yoga, field = Redis GET of ${answer.length} B`;
      const lat = (ns: number[], label: string): Measurement => ({ label, unit: 'ms', stats: summarizeDurations(ns, 'ms') });
      const errors = `errors: ${figure.errors} (figure), ${baseline.errors} (baseline)`;
      const results: BenchResult[] = [
        compareWithMargin('latency, 1 connection', lat(serial.figure, figureLabel), lat(serial.baseline, baselineLabel), { p50PlusMs: 0.5 }, [
          `${LATENCY_ROUNDS} alternated rounds of ${LATENCY_ROUND_MS} ms per side, one request in flight; client in a worker thread`,
          errors,
        ]),
        compare(`requests/s, ${CONCURRENCY} connections`, { label: figureLabel, unit: 'ops/s', stats: summarize(figure.rates) }, { label: baselineLabel, unit: 'ops/s', stats: summarize(baseline.rates) }, {
          better: 'higher',
          target: 0.5,
          notes: [`requests per second of each ${LOAD_ROUND_MS} ms round (${LOAD_ROUNDS} rounds per side, alternated); closed loop`],
        }),
        compare(`latency under ${CONCURRENCY} connections`, lat(figure.latencies, figureLabel), lat(baseline.latencies, baselineLabel), {
          notes: ['diagnostic: queueing on 2 cores dominates; no target'],
        }),
      ];
      return results;
    } finally {
      await load.close();
      if (bare) {
        bare.closeAllConnections();
        await new Promise<void>((r) => bare!.close(() => r()));
      }
      redis.disconnect();
      await p.close();
    }
  },
};

export default suite;
