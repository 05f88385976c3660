/**
 * Datasource operations for an API process without workers: each is a short job on its own
 * queue, and the answer comes back on a reply topic. A worker that never answers is a TIMEOUT.
 */
import { v7 as uuidv7 } from 'uuid';
import type { DatasourceOps, DatasourceTarget, OpsResult } from '../../schema/jobs/datasource-ops';
import { DATASOURCE_OPS_QUEUE, replyTopic, type DatasourceOpName, type DatasourceOpsPayload } from '../../schema/jobs/datasource-ops-job';
import type { PubSub } from '../../infra/pubsub/pubsub';
import type { JobQueue } from '../../infra/queue';

export function createQueuedDatasourceOps(deps: { queue: JobQueue; pubsub: PubSub; timeoutMs: number }): DatasourceOps {
  async function call<T>(op: DatasourceOpName, target: DatasourceTarget): Promise<OpsResult<T>> {
    const requestId = uuidv7();
    const organizationId = 'saved' in target ? target.saved.organizationId : 'unsaved';
    let settle: (r: OpsResult<T>) => void = () => {};
    const answer = new Promise<OpsResult<T>>((resolve) => (settle = resolve));
    const unsubscribe = await deps.pubsub.subscribe(replyTopic(requestId), (message) => settle(JSON.parse(message) as OpsResult<T>));
    const timer = setTimeout(() => settle({ ok: false, error: { code: 'TIMEOUT', message: 'no worker answered in time: are workers running?' } }), deps.timeoutMs);
    try {
      const payload: DatasourceOpsPayload = { requestId, op, target };
      await deps.queue.enqueue(DATASOURCE_OPS_QUEUE, { id: requestId, organizationId, payload });
      return await answer;
    } finally {
      clearTimeout(timer);
      await unsubscribe();
    }
  }
  return {
    testConnection: (target) => call('testConnection', target),
    listTables: (target) => call('listTables', target),
    describeSource: (target) => call('describeSource', target),
  };
}
