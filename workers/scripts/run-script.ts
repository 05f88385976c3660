/**
 * Runs one user script in a fresh sandbox container and reports how it ended.
 *
 * Order of a run: check the spec, compile (a compile error ends the run before Docker is
 * asked anything), open the API bridge, create and attach the container, start it, write the
 * compiled script and token to its stdin and close it, relay output to onLog until it exits
 * (killed at the time limit or on abort), inspect why it ended, and remove the container and
 * the bridge whatever happened.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Writable, type Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { API_SOCKET_NAME, openApiBridge, type ApiBridge } from './api-bridge';
import { compileScript, type CompiledScript } from './compile-script';
import { containerRuntime } from './container-runtime';
import { ScriptRunnerError } from './errors';
import { LogLines } from './log-lines';
import { describeEnd, isHeapExhaustedLine } from './outcome';
import { DEFAULT_SANDBOX_IMAGE, SANDBOX_GID, SANDBOX_UID, sandboxContainerOptions } from './sandbox-container';
import type { LogLine, LogStream, ScriptHooks, ScriptOutcome, ScriptSpec } from './types';
import { validateSpec } from './validate-spec';

/** How long output may keep arriving after the container has exited before it is cut. */
const OUTPUT_DRAIN_MS = 5_000;

interface DockerFailure {
  statusCode?: number;
  message?: string;
}

function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as DockerFailure).statusCode : undefined;
}

function dockerFailed(what: string, err: unknown): ScriptRunnerError {
  return new ScriptRunnerError('DOCKER_FAILED', `${what}: ${(err as DockerFailure)?.message ?? String(err)}`, { cause: err });
}

/** A listener that throws must not break the relay of the lines after it. */
function safeListener(onLog: ScriptHooks['onLog']): (line: LogLine) => void {
  return (line) => {
    try {
      onLog?.(line);
    } catch {
      // The caller's problem, reported nowhere: the run goes on.
    }
  };
}

function lineSink(logs: LogLines, stream: LogStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(stream, chunk);
      done();
    },
  });
}

/** Resolves when the attach stream has ended (or failed), i.e. all output has been relayed. */
function relayOutput(docker: Dockerode, stream: Duplex, logs: LogLines): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
    // demuxStream writes each frame synchronously, so stdout and stderr lines keep their order.
    (docker.modem as { demuxStream(s: NodeJS.ReadableStream, out: NodeJS.WritableStream, err: NodeJS.WritableStream): void }).demuxStream(
      stream,
      lineSink(logs, 'stdout'),
      lineSink(logs, 'stderr'),
    );
  });
}

function payload(compiled: CompiledScript, token: string): string {
  return JSON.stringify({ code: compiled.code, token, filename: compiled.filename, lines: compiled.lines });
}

async function createContainer(docker: Dockerode, options: Dockerode.ContainerCreateOptions): Promise<Dockerode.Container> {
  try {
    return await docker.createContainer(options);
  } catch (err) {
    if (statusOf(err) === 404) {
      throw new ScriptRunnerError('IMAGE_MISSING', `the sandbox image ${options.Image} is not on this Docker engine (build it: npm run docker:build -- sandbox)`, { cause: err });
    }
    throw dockerFailed('cannot create the script container', err);
  }
}

async function removeContainer(container: Dockerode.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch {
    // Already gone (404), or the engine failed: removeStaleScriptContainers finds it later by its label.
  }
}

function until<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export async function runScript(docker: Dockerode, spec: ScriptSpec, hooks: ScriptHooks = {}): Promise<ScriptOutcome> {
  const started = Date.now();
  validateSpec(spec);
  const { signal } = hooks;
  const emit = safeListener(hooks.onLog);
  const outcome = (rest: Omit<ScriptOutcome, 'durationMs'>): ScriptOutcome => ({ ...rest, durationMs: Date.now() - started });
  const cancelledBeforeStart = () =>
    outcome({ status: 'cancelled', exitCode: null, message: 'cancelled before it started', logTruncated: false, containerRuntime: null });

  if (signal?.aborted) return cancelledBeforeStart();
  const compiled = await compileScript(spec.code, spec.runtime);
  if (!compiled.ok) {
    for (const text of compiled.errors) emit({ stream: 'stderr', text, at: new Date() });
    return outcome({ status: 'failed', exitCode: null, message: compiled.message, logTruncated: false, containerRuntime: null });
  }
  if (signal?.aborted) return cancelledBeforeStart();

  const runtime = spec.runtimeName ?? (await containerRuntime(docker));
  let heapExhausted = false;
  const logs = new LogLines({
    limitBytes: spec.limits.logBytes,
    onLine: emit,
    watch: (stream, text) => {
      if (isHeapExhaustedLine(stream, text)) heapExhausted = true;
    },
  });
  const runId = randomUUID();
  let bridge: ApiBridge | undefined;
  let container: Dockerode.Container | undefined;
  let stream: Duplex | undefined;
  let timer: NodeJS.Timeout | undefined;
  let killedFor: 'timeout' | 'cancelled' | null = null;
  let kill: Promise<void> = Promise.resolve();
  let running = false;

  const issueKill = () => {
    kill = container!.kill().then(
      () => undefined,
      (err: unknown) => {
        // 409 or 404: it had already exited on its own, so it ended for its own reasons.
        if (statusOf(err) === 409 || statusOf(err) === 404) killedFor = null;
      },
    );
  };
  const stop = (reason: 'timeout' | 'cancelled') => {
    if (killedFor || !container) return;
    killedFor = reason;
    if (running) issueKill();
  };
  const onAbort = () => stop('cancelled');

  try {
    bridge = await openApiBridge(spec.apiTarget, { parentDir: spec.runDir ?? tmpdir(), containerUid: SANDBOX_UID, containerGid: SANDBOX_GID });
    container = await createContainer(
      docker,
      sandboxContainerOptions({
        runId,
        image: spec.image ?? DEFAULT_SANDBOX_IMAGE,
        runtime,
        limits: spec.limits,
        env: spec.env ?? {},
        bridgeDir: bridge.dir,
        socketName: API_SOCKET_NAME,
      }),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return cancelledBeforeStart();

    try {
      stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
    } catch (err) {
      throw dockerFailed('cannot attach to the script container', err);
    }
    // A script that exits before reading all of its stdin makes the write fail; its exit says why.
    stream.on('error', () => undefined);
    const output = relayOutput(docker, stream, logs);
    if (signal?.aborted) return cancelledBeforeStart();

    try {
      await container.start();
    } catch (err) {
      throw dockerFailed('cannot start the script container', err);
    }
    const runStarted = Date.now();
    running = true;
    // An abort that came while the engine was starting it.
    if (killedFor) issueKill();
    timer = setTimeout(() => stop('timeout'), spec.limits.timeoutMs);
    stream.end(payload(compiled, spec.token));

    let exit: { StatusCode?: number } | undefined;
    try {
      exit = (await container.wait()) as { StatusCode?: number };
    } catch (err) {
      throw dockerFailed('lost track of the script container', err);
    }
    const runMs = Date.now() - runStarted;
    clearTimeout(timer);
    await kill;
    await until(output, OUTPUT_DRAIN_MS);
    logs.end();

    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await container.inspect();
    } catch (err) {
      throw dockerFailed('cannot inspect the script container', err);
    }
    const exitCode = typeof info.State.ExitCode === 'number' ? info.State.ExitCode : (exit?.StatusCode ?? null);
    const end = describeEnd({ killedFor, exitCode, oomKilled: info.State.OOMKilled === true, heapExhausted, runMs }, spec.limits);
    return outcome({ ...end, exitCode, logTruncated: logs.truncated, containerRuntime: runtime });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    stream?.destroy();
    if (container) await removeContainer(container);
    await bridge?.close().catch(() => undefined);
  }
}
