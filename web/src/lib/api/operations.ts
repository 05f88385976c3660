/** The operations view: queues by organization and unfinished query jobs (owners only). */
import { doc, type SightlineClient } from './client';

export interface QueueStatus {
  queue: string;
  waiting: number;
  running: number;
  organizations: { organizationId: string; name: string; waiting: number; running: number }[];
}

export interface ActiveJob {
  id: string;
  status: string;
  progress: number;
  queuedAt: string;
  startedAt: string | null;
  datasource: { name: string } | null;
  requestedBy: { email: string } | null;
}

const OPERATIONS = doc<{ queues: QueueStatus[]; activeQueryJobs: ActiveJob[] }, Record<string, never>>(
  `query Operations { queues { queue waiting running organizations { organizationId name waiting running } }
    activeQueryJobs(limit: 200) { id status progress queuedAt startedAt datasource { name } requestedBy { email } } }`,
);
const CANCEL = doc<{ cancelQueryJob: { id: string; status: string } }, { id: string }>(
  `mutation CancelFromOperations($id: ID!) { cancelQueryJob(id: $id) { id status } }`,
);

export const loadOperations = (c: SightlineClient) => c.request(OPERATIONS, {} as Record<string, never>);
export const cancelJob = (c: SightlineClient, id: string) => c.request(CANCEL, { id });
