/**
 * Which Docker runtime scripts run under: gVisor (`runsc`) when the engine has it — a script
 * then talks to gVisor's kernel, not the host's — otherwise the default `runc`. Asked once per
 * Docker client.
 */
import type Dockerode from 'dockerode';
import { ScriptRunnerError } from './errors';

export type ContainerRuntime = 'runsc' | 'runc';

const detected = new WeakMap<Dockerode, Promise<ContainerRuntime>>();

async function detect(docker: Dockerode): Promise<ContainerRuntime> {
  let info: { Runtimes?: Record<string, unknown> };
  try {
    info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
  } catch (err) {
    throw new ScriptRunnerError('DOCKER_FAILED', `cannot ask the Docker engine for its runtimes: ${(err as Error).message}`, { cause: err });
  }
  return info.Runtimes && Object.hasOwn(info.Runtimes, 'runsc') ? 'runsc' : 'runc';
}

export function containerRuntime(docker: Dockerode): Promise<ContainerRuntime> {
  let answer = detected.get(docker);
  if (!answer) {
    answer = detect(docker);
    detected.set(docker, answer);
    // A failed look-up (the engine was down) is asked again next time.
    answer.catch(() => detected.delete(docker));
  }
  return answer;
}
