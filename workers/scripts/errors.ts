/** Failures of the runner itself (not of the script, which end in a ScriptOutcome). */
export const SCRIPT_RUNNER_ERROR_CODES = [
  /** The spec is unusable: a limit out of range, a forbidden environment variable. */
  'INVALID_SPEC',
  /** The sandbox image is not on this Docker engine. */
  'IMAGE_MISSING',
  /** The Docker engine refused or failed a call. */
  'DOCKER_FAILED',
  /** The per-run folder or the API socket could not be set up on the worker host. */
  'BRIDGE_FAILED',
] as const;

export type ScriptRunnerErrorCode = (typeof SCRIPT_RUNNER_ERROR_CODES)[number];

export class ScriptRunnerError extends Error {
  override readonly name = 'ScriptRunnerError';
  readonly code: ScriptRunnerErrorCode;

  constructor(code: ScriptRunnerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isScriptRunnerError(err: unknown): err is ScriptRunnerError {
  return err instanceof ScriptRunnerError;
}
