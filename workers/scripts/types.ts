/** What a script run is given and what it ends with: the runner's public contract. */

export type ScriptLanguage = 'javascript' | 'typescript';

export interface ApiTarget {
  /** Where the API listens, as the worker host reaches it (e.g. `127.0.0.1`, `api`). */
  host: string;
  port: number;
}

export interface ScriptLimits {
  /** Wall-clock time from the container's start; then it is killed (`timeout`). */
  timeoutMs: number;
  /** Memory and swap together (no swap); above it the kernel kills the script (`oom`). */
  memoryBytes: number;
  /** CPU time in billionths of a CPU: 500_000_000 is half a core. */
  nanoCpus: number;
  /** Processes and threads in the container (node alone uses about a dozen). */
  pidsLimit: number;
  /** stdout and stderr together; beyond it lines are dropped (`logTruncated`). */
  logBytes: number;
}

export interface ScriptSpec {
  /** The source as written in the web app. */
  code: string;
  runtime: ScriptLanguage;
  apiTarget: ApiTarget;
  /** An API token for the SDK, scoped to the script's organization; given on stdin, never in the container's config. */
  token: string;
  /** Extra non-secret variables, e.g. SIGHTLINE_TASK_ID (visible in `docker inspect`). */
  env?: Record<string, string>;
  limits: ScriptLimits;
  /** Default `sightline/sandbox:local`. */
  image?: string;
  /** A Docker runtime to use instead of the detected one (`runsc` when the engine has it, else `runc`). */
  runtimeName?: string;
  /**
   * Where the per-run folder with the API socket is created (default: the OS temporary folder).
   * It must be the same path on the Docker host: a worker in a container needs it bind-mounted
   * at the same path.
   */
  runDir?: string;
}

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  stream: LogStream;
  text: string;
  at: Date;
}

export interface ScriptHooks {
  /** Aborting kills the script (`cancelled`). */
  signal?: AbortSignal;
  /** Each line the script prints, in order, as it prints it. */
  onLog?(line: LogLine): void;
}

export type ScriptStatus = 'succeeded' | 'failed' | 'timeout' | 'oom' | 'cancelled';

export interface ScriptOutcome {
  status: ScriptStatus;
  /** The process's exit code; null when it never ran (did not compile, cancelled before start). */
  exitCode: number | null;
  /** For the user: `exited with code 1`, `killed after its time limit of 5 s`, ... */
  message: string;
  durationMs: number;
  /** Output beyond `limits.logBytes` was dropped (one notice line says so). */
  logTruncated: boolean;
  /** The Docker runtime it ran under (`runsc` is gVisor); null when no container was started. */
  containerRuntime: string | null;
}
