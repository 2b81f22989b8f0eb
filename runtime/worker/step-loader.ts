// Loads a step module: bundles the .ts/.js file with esbuild into <home>/tmp/build/<plugin>/<step>.js (source maps
// pointing at the original absolute paths, so stacks and breakpoints land in the .ts), then requires it. A build whose
// sources did not change since is reused as it is (step-build-cache.ts): most worker starts never load esbuild.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StepDefinition } from '../api/types';
import { exceptionFile } from '../log/mflog';
import { buildKey, isUpToDate, writeManifest } from './step-build-cache';

/** The module specifier plugin code imports the step API from; bundled into step code as this source. */
export const API_MODULE_NAME = 'mfdata';
// The JavaScript of runtime/api/index.ts (part of the build cache key: a change rebuilds every step).
const API_MODULE_SOURCE = [
  'export function defineStep(definition) { return definition; }',
  ...([['ungzip', 'gzip', true], ['tryUngzip', 'gzip', false], ['unbzip2', 'bzip2', true], ['tryUnbzip2', 'bzip2', false]] as const).map(([name, method, strict]) =>
    `export function ${name}(process) { return (file, ctx) => ctx.uncompressed(file, '${method}', ${strict}, (f) => process(f, ctx)); }`),
  '',
].join('\n');

export class StepLoadError extends Error {
  /** `file:line[:column]` of the cause, as precise as known. */
  readonly location: string;
  constructor(location: string, reason: string) {
    super(`${location}: ${reason}`);
    this.name = 'StepLoadError';
    this.location = location;
  }
}

type EsbuildModule = typeof import('esbuild');

interface EsbuildFailure {
  errors: Array<{ text: string; location?: { file: string; line: number; column: number } | null }>;
}

function isBuildFailure(err: unknown): err is EsbuildFailure {
  return typeof err === 'object' && err !== null && Array.isArray((err as EsbuildFailure).errors);
}

/** Where the compiled step goes: `<home>/tmp/build/<plugin>/<step>.js`. */
export function compiledStepPath(homeTmpDir: string, plugin: string, step: string): string {
  return path.join(homeTmpDir, 'build', plugin, `${step}.js`);
}

/** The build options that decide the output (besides the sources): part of the cache key. */
const BUILD_OPTIONS = {
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'linked', sourcesContent: false,
  external: ['*.node'], api: API_MODULE_SOURCE, maps: 'absolute-sources',
} as const;

/**
 * Bundles `modulePath` to `outfile` (atomically: several workers of a step build at once), unless the files of the
 * previous build are there and none of its sources changed since.
 */
export async function compileStep(modulePath: string, outfile: string): Promise<void> {
  const key = buildKey(modulePath, outfile, BUILD_OPTIONS);
  if (isUpToDate(outfile, key)) return;
  const buildStartedMs = Date.now();
  // esbuild ships a native binary: required lazily, it stays external to our own bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as EsbuildModule;
  const pluginDir = path.dirname(modulePath);
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [modulePath],
      absWorkingDir: pluginDir,
      bundle: BUILD_OPTIONS.bundle,
      platform: BUILD_OPTIONS.platform,
      target: BUILD_OPTIONS.target,
      format: BUILD_OPTIONS.format,
      sourcemap: BUILD_OPTIONS.sourcemap,
      sourcesContent: BUILD_OPTIONS.sourcesContent,
      outfile,
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: [...BUILD_OPTIONS.external],
      plugins: [{
        name: 'mfdata-api',
        setup(build) {
          build.onResolve({ filter: new RegExp(`^${API_MODULE_NAME}$`) }, () => ({ path: API_MODULE_NAME, namespace: 'mfdata-api' }));
          build.onLoad({ filter: /.*/, namespace: 'mfdata-api' }, () => ({ contents: API_MODULE_SOURCE, loader: 'js' }));
        },
      }],
    });
  } catch (err) {
    if (isBuildFailure(err) && err.errors.length > 0) {
      const first = err.errors[0];
      const loc = first.location ? `${path.resolve(pluginDir, first.location.file)}:${first.location.line}:${first.location.column + 1}` : modulePath;
      throw new StepLoadError(loc, first.text);
    }
    throw new StepLoadError(modulePath, (err as Error).message);
  } finally {
    // esbuild's service process is pinged every second while it lives: an idle worker must not wake up.
    await esbuild.stop();
  }
  await fs.promises.mkdir(path.dirname(outfile), { recursive: true });
  const suffix = `.${process.pid}.t`;
  for (const out of result.outputFiles) {
    let contents: Uint8Array | string = out.contents;
    if (out.path.endsWith('.map')) {
      // Absolute sources: a debugger or a stack trace then names the plugin's own .ts file.
      const map = JSON.parse(out.text) as { sources: string[]; sourceRoot?: string };
      map.sources = map.sources.map((s) => (s.startsWith('mfdata-api:') ? s : path.resolve(path.dirname(outfile), s)));
      delete map.sourceRoot;
      contents = JSON.stringify(map);
    }
    await fs.promises.writeFile(out.path + suffix, contents);
    await fs.promises.rename(out.path + suffix, out.path);
  }
  // The files read, for the next start's up-to-date check (the virtual 'mfdata' API module is not a file).
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes(':')).map((f) => path.resolve(pluginDir, f));
  await writeManifest(outfile, key, inputs, buildStartedMs);
}

/** Picks the step out of a loaded module: `export const step = defineStep({...})` or named exports. */
export function stepFromModule(exports: Record<string, unknown>, modulePath: string): StepDefinition {
  const candidate = (typeof exports.step === 'object' && exports.step !== null ? exports.step : exports) as Record<string, unknown>;
  const def: StepDefinition = {};
  for (const key of ['init', 'process', 'batchProcess', 'after', 'destroy'] as const) {
    const value = candidate[key];
    if (value === undefined) continue;
    if (typeof value !== 'function') throw new StepLoadError(`${modulePath}:1`, `export '${key}' is not a function`);
    (def as Record<string, unknown>)[key] = value.bind(candidate);
  }
  if (!def.process && !def.batchProcess) {
    throw new StepLoadError(`${modulePath}:1`, "the module exports no step: write `export const step = defineStep({ process(file, ctx) { … } })` or export a function named 'process' (or 'batchProcess')");
  }
  return def;
}

/** Compiles and requires the step module; any failure is a StepLoadError naming file:line. */
export async function loadStep(modulePath: string, outfile: string): Promise<StepDefinition> {
  if (!fs.existsSync(modulePath)) throw new StepLoadError(modulePath, 'step module not found');
  await compileStep(modulePath, outfile);
  let exports: Record<string, unknown>;
  // Stacks of step code name the author's .ts lines; turned on here (not with --enable-source-maps) so that the
  // runtime's own bundle map is never read. Modules required from now on have their maps honoured.
  process.setSourceMapsEnabled(true);
  try {
    delete require.cache[outfile];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exports = require(outfile) as Record<string, unknown>;
  } catch (err) {
    throw new StepLoadError(exceptionFile(err) ?? modulePath, `the module threw while loading: ${err instanceof Error ? err.message : String(err)}`);
  }
  return stepFromModule(exports, modulePath);
}
