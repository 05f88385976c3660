/** The main-thread handle of the client swarm (`ws-swarm-thread.ts`). */
import type { Worker } from 'node:worker_threads';
import { startThread } from '../../lib/thread';

export type SwarmRequest =
  | { kind: 'open-graphql'; url: string; token: string; count: number }
  | { kind: 'open-raw'; url: string; count: number }
  | { kind: 'follow'; jobId: string; finalStatus: string }
  | { kind: 'expect-raw' }
  | { kind: 'close' };

export type SwarmReply =
  | { kind: 'opened' | 'subscribed' | 'armed' | 'closed' }
  | { kind: 'received'; times: number[] }
  | { kind: 'error'; message: string };

export class Swarm {
  private readonly worker: Worker = startThread(new URL('./ws-swarm-thread.ts', import.meta.url), null);
  private readonly waiting: { kind: SwarmReply['kind']; resolve: (r: SwarmReply) => void; reject: (e: Error) => void }[] = [];

  constructor() {
    this.worker.on('message', (r: SwarmReply) => {
      if (r.kind === 'error') {
        for (const w of this.waiting.splice(0)) w.reject(new Error(`client swarm: ${r.message}`));
        return;
      }
      const i = this.waiting.findIndex((w) => w.kind === r.kind);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(r);
    });
    this.worker.on('error', (err) => {
      for (const w of this.waiting.splice(0)) w.reject(err);
    });
  }

  /** Resolves on the next reply of that kind; fails after `timeoutMs`. */
  expect<K extends SwarmReply['kind']>(kind: K, timeoutMs: number): Promise<Extract<SwarmReply, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client swarm: no "${kind}" after ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({
        kind,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r as Extract<SwarmReply, { kind: K }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  send(request: SwarmRequest): void {
    this.worker.postMessage(request);
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
