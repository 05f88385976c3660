/**
 * How a script's container is made: no network, read-only root, no capabilities, an
 * unprivileged user, the run's limits, and the API socket's folder mounted read-only. Output
 * is read from the attached streams only; the engine keeps no log file of it.
 */
import type Dockerode from 'dockerode';
import type { ScriptLimits } from './types';

export const DEFAULT_SANDBOX_IMAGE = 'sightline/sandbox:local';
/** The image's user (docker/base/build-base.sh). */
export const SANDBOX_UID = 10001;
export const SANDBOX_GID = 10001;
export const BRIDGE_MOUNT = '/run/sightline';
/** Marks every script container, so that leftovers (a worker killed mid-run) can be found. */
export const SCRIPT_LABEL = 'sightline.script-run';

export interface SandboxContainerInput {
  runId: string;
  image: string;
  runtime: string;
  limits: ScriptLimits;
  env: Record<string, string>;
  bridgeDir: string;
  socketName: string;
}

export function sandboxContainerOptions(input: SandboxContainerInput): Dockerode.ContainerCreateOptions {
  const env = { ...input.env, SIGHTLINE_API_SOCKET: `${BRIDGE_MOUNT}/${input.socketName}` };
  return {
    name: `sightline-script-${input.runId}`,
    Image: input.image,
    User: `${SANDBOX_UID}:${SANDBOX_GID}`,
    Env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
    Labels: { [SCRIPT_LABEL]: input.runId },
    // The script arrives on stdin, which closes once it is written.
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    HostConfig: {
      NetworkMode: 'none',
      Runtime: input.runtime,
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      Memory: input.limits.memoryBytes,
      MemorySwap: input.limits.memoryBytes,
      NanoCpus: input.limits.nanoCpus,
      PidsLimit: input.limits.pidsLimit,
      Binds: [`${input.bridgeDir}:${BRIDGE_MOUNT}:ro`],
      // stdout and stderr reach the worker through the attach stream; a json-file log would
      // fill the host's disk with whatever the script prints, past logBytes.
      LogConfig: { Type: 'none', Config: {} },
      AutoRemove: false,
      RestartPolicy: { Name: 'no' },
    },
  };
}
