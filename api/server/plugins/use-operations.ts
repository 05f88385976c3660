import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

export interface OperationsOptions {
  /** Prometheus registry served at /metrics. */
  registry: Registry;
  /** Dependencies that must answer for the process to take traffic (database, Redis). */
  readiness: () => Promise<Record<string, boolean>>;
  /** True once shutdown began: readiness fails so the load balancer stops sending traffic. */
  draining: () => boolean;
}

/**
 * `/ready` (readiness: dependencies answer and the process is not shutting down) and `/metrics`
 * (Prometheus). Liveness is yoga's `/health`: the process answers at all.
 */
export function useOperations(options: OperationsOptions): Plugin {
  return {
    async onRequest({ endResponse, fetchAPI, url }) {
      if (url.pathname === '/metrics') {
        endResponse(new fetchAPI.Response(await options.registry.metrics(), { headers: { 'content-type': options.registry.contentType } }));
      } else if (url.pathname === '/ready') {
        const checks = options.draining() ? { draining: false } : await options.readiness().catch(() => ({ checks: false }));
        const ok = Object.values(checks).every(Boolean);
        endResponse(
          new fetchAPI.Response(JSON.stringify({ ready: ok, checks }), {
            status: ok ? 200 : 503,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        );
      }
    },
  };
}
