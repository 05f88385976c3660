/** Whether the sandbox image is on the engine: images are built from local files, never pulled. */
import type Dockerode from 'dockerode';
import { ScriptRunnerError } from './errors';
import { DEFAULT_SANDBOX_IMAGE } from './sandbox-container';

export async function hasSandboxImage(docker: Dockerode, image: string = DEFAULT_SANDBOX_IMAGE): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw new ScriptRunnerError('DOCKER_FAILED', `cannot look up the image ${image}: ${(err as Error).message}`, { cause: err });
  }
}

/** For a worker's start-up: fails at once, saying how to build it, rather than on the first run. */
export async function assertSandboxImage(docker: Dockerode, image: string = DEFAULT_SANDBOX_IMAGE): Promise<void> {
  if (!(await hasSandboxImage(docker, image))) {
    throw new ScriptRunnerError('IMAGE_MISSING', `the sandbox image ${image} is not on this Docker engine (build it: npm run docker:build -- sandbox)`);
  }
}
