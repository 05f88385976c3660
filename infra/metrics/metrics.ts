/**
 * The process's Prometheus metrics: defined once here so the API and the workers name them
 * alike. Each process serves its own registry (the API at /metrics; a worker on METRICS_PORT).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Results answered from the cache versus jobs started or joined. */
  queryRequests: Counter<'outcome'>;
  /** Time from queued to finished, by queue and final status. */
  jobLatency: Histogram<'queue' | 'status'>;
  /** Open subscriptions of this API process, by kind. */
  subscriptions: Gauge<'kind'>;
  /** Waiting and running jobs per queue, read from the queue when scraped. */
  queueDepth: Gauge<'queue' | 'state'>;
}

export function createMetrics(collectQueueDepth?: (set: (queue: string, state: 'waiting' | 'running', value: number) => void) => Promise<void>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sightline_process_' });
  const queueDepth = new Gauge({
    name: 'sightline_queue_jobs',
    help: 'Jobs waiting or running per queue.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      if (!collectQueueDepth) return;
      await collectQueueDepth((queue, state, value) => this.set({ queue, state }, value));
    },
  });
  return {
    registry,
    queueDepth,
    queryRequests: new Counter({
      name: 'sightline_query_requests_total',
      help: 'runQuery and liveQuery requests by outcome: cache_hit, joined, queued, invalid.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    jobLatency: new Histogram({
      name: 'sightline_query_job_seconds',
      help: 'Query job latency from queued to finished.',
      labelNames: ['queue', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    subscriptions: new Gauge({
      name: 'sightline_subscriptions',
      help: 'Open subscriptions of this API process.',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
  };
}
