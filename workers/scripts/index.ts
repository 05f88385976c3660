export { runScript } from './run-script';
export { compileScript, type CompileResult, type CompiledScript, type CompileFailure } from './compile-script';
export { containerRuntime, type ContainerRuntime } from './container-runtime';
export { assertSandboxImage, hasSandboxImage } from './sandbox-image';
export { removeStaleScriptContainers } from './stale-containers';
export { DEFAULT_SANDBOX_IMAGE, SCRIPT_LABEL } from './sandbox-container';
export { ScriptRunnerError, isScriptRunnerError, SCRIPT_RUNNER_ERROR_CODES, type ScriptRunnerErrorCode } from './errors';
export type {
  ApiTarget,
  LogLine,
  LogStream,
  ScriptHooks,
  ScriptLanguage,
  ScriptLimits,
  ScriptOutcome,
  ScriptSpec,
  ScriptStatus,
} from './types';
