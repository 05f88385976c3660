/**
 * Script containers left behind — the worker was killed in the middle of a run, or the engine
 * failed to remove one — found by their label and removed. Meant for a worker's start-up.
 */
import type Dockerode from 'dockerode';
import { ScriptRunnerError } from './errors';
import { SCRIPT_LABEL } from './sandbox-container';

/**
 * Removes every script container created more than `olderThanMs` ago; returns how many.
 * `labelValue` narrows it to the containers whose label has that value.
 */
export async function removeStaleScriptContainers(docker: Dockerode, options: { olderThanMs: number; labelValue?: string }): Promise<number> {
  let list: Dockerode.ContainerInfo[];
  try {
    const label = options.labelValue === undefined ? SCRIPT_LABEL : `${SCRIPT_LABEL}=${options.labelValue}`;
    list = await docker.listContainers({ all: true, filters: { label: [label] } });
  } catch (err) {
    throw new ScriptRunnerError('DOCKER_FAILED', `cannot list script containers: ${(err as Error).message}`, { cause: err });
  }
  const cutoff = Date.now() - options.olderThanMs;
  let removed = 0;
  for (const info of list) {
    if (info.Created * 1000 > cutoff) continue;
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      removed += 1;
    } catch {
      // Removed meanwhile by its own run, or stuck: the next sweep tries again.
    }
  }
  return removed;
}
