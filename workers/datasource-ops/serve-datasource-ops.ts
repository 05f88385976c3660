import type { DatasourceOps, DatasourceTarget, SavedDatasourceTarget } from '../../schema/jobs/datasource-ops';
import { replyTopic, type DatasourceOpsPayload } from '../../schema/jobs/datasource-ops-job';
import type { PubSub } from '../../infra/pubsub/pubsub';

/** Answers one queued datasource operation on its reply topic. */
export function createDatasourceOpsProcessor(ops: DatasourceOps, pubsub: PubSub) {
  return async (payload: DatasourceOpsPayload): Promise<void> => {
    const run: Record<DatasourceOpsPayload['op'], (t: DatasourceTarget) => Promise<unknown>> = {
      testConnection: (t) => ops.testConnection(t),
      listTables: (t) => ops.listTables(t),
      describeSource: (t) => ops.describeSource(t as SavedDatasourceTarget),
    };
    const result = await run[payload.op](payload.target);
    await pubsub.publish(replyTopic(payload.requestId), JSON.stringify(result));
  };
}
