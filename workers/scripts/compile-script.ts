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
}

export type CompileResult = CompiledScript | CompileFailure;

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
    if (!js) return { ok: false, filename, errors: [`${filename}: the compiler produced no output`] };
    const mappings = map ? (JSON.parse(map.text) as { mappings?: unknown }).mappings : undefined;
    return {
      ok: true,
      filename,
      // The map is given to the bootstrap separately; the comment would only lengthen the data: URL.
      code: js.text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n'),
      lines: typeof mappings === 'string' ? decodeSourceLines(mappings) : [],
    };
  } catch (err) {
    if (isBuildFailure(err) && err.errors.length > 0) return { ok: false, filename, errors: err.errors.map((m) => formatMessage(filename, m)) };
    throw err;
  }
}
