/**
 * Turns the source written in the web app into one ES module the sandbox can run: TypeScript
 * types stripped, imports of the SDK (and the few other modules in the image) rewritten to
 * their absolute file: URLs, anything else refused. Runs on the worker, from the string alone:
 * nothing is read from or written to disk.
 */
import { isBuiltin } from 'node:module';
import { build, type Message, type Plugin } from 'esbuild';
import { IMPORTABLE, SANDBOX_MODULES } from './sandbox-modules';
import { decodeSourceLines, type SourceLines } from './source-lines';
import type { ScriptLanguage } from './types';
import { formatBytes } from './units';

export interface CompiledScript {
  ok: true;
  /** The name stack traces and errors use: `script.ts` or `script.js`. */
  filename: string;
  code: string;
  lines: SourceLines;
}

export interface CompileFailure {
  ok: false;
  filename: string;
  /** Each error as `script.ts:3:9: <what>` (1-based line and column, as editors count). */
  errors: string[];
  /** For the run's outcome: `does not compile: script.ts:3:9: <what> (and 2 more)`. */
  message: string;
}

export type CompileResult = CompiledScript | CompileFailure;

/**
 * The compiled module travels as a data: URL, percent-encoded (up to 9 characters a byte), and
 * is held in memory several times over while node loads it: past this a small memory limit is
 * spent before the script's first line.
 */
export const MAX_COMPILED_BYTES = 1024 * 1024;

function failure(filename: string, errors: string[]): CompileFailure {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return { ok: false, filename, errors, message: `does not compile: ${errors[0]}${more}` };
}

const sandboxImports: Plugin = {
  name: 'sandbox-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      const target = SANDBOX_MODULES[args.path];
      if (target) return { path: target, external: true };
      if (isBuiltin(args.path)) return { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, external: true };
      return { errors: [{ text: `cannot import "${args.path}": ${IMPORTABLE}` }] };
    });
  },
};

function formatMessage(filename: string, message: Message): string {
  const at = message.location;
  return at ? `${filename}:${at.line}:${at.column + 1}: ${message.text}` : `${filename}: ${message.text}`;
}

function isBuildFailure(err: unknown): err is { errors: Message[] } {
  return typeof err === 'object' && err !== null && Array.isArray((err as { errors?: unknown }).errors);
}

export async function compileScript(source: string, language: ScriptLanguage): Promise<CompileResult> {
  const filename = language === 'typescript' ? 'script.ts' : 'script.js';
  try {
    const result = await build({
      stdin: { contents: source, loader: language === 'typescript' ? 'ts' : 'js', sourcefile: filename },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Never written: it only names the outputs (the module and its source map).
      outfile: 'script.js',
      write: false,
      sourcemap: 'external',
      sourcesContent: false,
      // No tsconfig.json is looked up on the worker's disk: the script's settings are these.
      tsconfigRaw: {},
      logLevel: 'silent',
      plugins: [sandboxImports],
    });
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
    if (!js) return failure(filename, [`${filename}: the compiler produced no output`]);
    const size = Buffer.byteLength(js.text);
    if (size > MAX_COMPILED_BYTES) {
      const error = `${filename}: compiled, it is ${formatBytes(size)}; a script may be at most ${formatBytes(MAX_COMPILED_BYTES)}`;
      return { ok: false, filename, errors: [error], message: `is too large: ${error}` };
    }
    const mappings = map ? (JSON.parse(map.text) as { mappings?: unknown }).mappings : undefined;
    return {
      ok: true,
      filename,
      // The map is given to the bootstrap separately; the comment would only lengthen the data: URL.
      code: js.text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n'),
      lines: typeof mappings === 'string' ? decodeSourceLines(mappings) : [],
    };
  } catch (err) {
    if (isBuildFailure(err) && err.errors.length > 0) return failure(filename, err.errors.map((m) => formatMessage(filename, m)));
    throw err;
  }
}
