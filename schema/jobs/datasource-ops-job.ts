/** The queue form of the datasource operations, for API processes that run no workers. */
import type { DatasourceTarget } from './datasource-ops';

export const DATASOURCE_OPS_QUEUE = 'datasource-ops';

export type DatasourceOpName = 'testConnection' | 'listTables' | 'describeSource';

export interface DatasourceOpsPayload {
  requestId: string;
  op: DatasourceOpName;
  target: DatasourceTarget;
}

/** Where the worker publishes the answer (an OpsResult as JSON). */
export const replyTopic = (requestId: string) => `sl:reply:${requestId}`;
