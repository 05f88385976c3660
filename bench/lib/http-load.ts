/**
 * A closed-loop HTTP load: `concurrency` keep-alive connections, each sending its next request
 * as soon as the previous answer is read, for a fixed time. Every request is timed.
 */
import http from 'node:http';
import { now, since } from './clock';

export interface HttpLoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string;
  concurrency: number;
  durationMs: number;
  /** Answers whose body does not contain this count as errors. */
  expect?: string;
}

export interface HttpLoadResult {
  /** Nanoseconds per request, in completion order. */
  latenciesNs: number[];
  errors: number;
  elapsedNs: number;
}

function request(agent: http.Agent, spec: HttpLoadSpec, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(spec.url, { method: spec.method, agent, headers: { ...spec.headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function runHttpLoad(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const body = Buffer.from(spec.body);
  const latenciesNs: number[] = [];
  let errors = 0;
  const started = now();
  const deadline = spec.durationMs * 1e6;
  const loop = async () => {
    while (since(started) < deadline) {
      const t0 = now();
      try {
        const text = await request(agent, spec, body);
        if (spec.expect !== undefined && !text.includes(spec.expect)) errors++;
      } catch {
        errors++;
      }
      latenciesNs.push(since(t0));
    }
  };
  try {
    await Promise.all(Array.from({ length: spec.concurrency }, loop));
    return { latenciesNs, errors, elapsedNs: since(started) };
  } finally {
    agent.destroy();
  }
}
