/**
 * The real Docker engine and the sandbox image, for the runner's tests. Under CI=true a missing
 * engine fails the run; locally it skips with a warning. The image is built from local files
 * by docker/build.ts (nothing happens when it is current).
 */
import Dockerode from 'dockerode';
import { buildImages } from '../../../docker/build';
import { DEFAULT_SANDBOX_IMAGE, SCRIPT_LABEL } from '../sandbox-container';

export async function dockerForTests(): Promise<Dockerode | null> {
  const docker = new Dockerode();
  try {
    await docker.ping();
    return docker;
  } catch (err) {
    const why = `the Docker engine is not reachable: ${(err as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: the script runner tests must run)`);
    console.warn(`[tests] skipping the script runner tests: ${why}`);
    return null;
  }
}

export async function buildSandboxImage(): Promise<string> {
  const [result] = await buildImages(['sandbox'], (line) => console.log(`[docker] ${line}`));
  if (result?.built) console.log(`[docker] ${result.tag} built in ${result.seconds.toFixed(0)} s`);
  return DEFAULT_SANDBOX_IMAGE;
}

/** The container of the run whose SIGHTLINE_TASK_ID is `taskId`, while it exists. */
export async function findRunContainer(docker: Dockerode, taskId: string): Promise<Dockerode.ContainerInspectInfo | null> {
  const list = await docker.listContainers({ all: true, filters: { label: [SCRIPT_LABEL] } });
  for (const c of list) {
    const info = await docker.getContainer(c.Id).inspect().catch(() => null);
    if (info?.Config.Env.includes(`SIGHTLINE_TASK_ID=${taskId}`)) return info;
  }
  return null;
}
