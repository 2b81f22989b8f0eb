// Whether a compiled step (<home>/tmp/build/<plugin>/<step>.js) is still what its sources would compile to: a manifest
// next to it names every input file with a hash of its contents, under a key of the compiler and its options.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Why: loading esbuild and its service process costs a worker ~40–100 ms and several MB at every start, although
 * the step code rarely changes between two starts (restarts, respawns, a second worker of the same step). A worker
 * whose manifest still matches loads the compiled file directly; any change of a source file, of the esbuild version
 * or of the build options makes it compile again.
 */
export interface BuildManifest {
  /** Hash of the step module path, the esbuild version and the build options. */
  key: string;
  /** Absolute path and sha1 of every file that went into the bundle. */
  inputs: Array<{ file: string; sha1: string }>;
}

/** `<outfile>.inputs.json`. */
export function manifestPath(outfile: string): string {
  return `${outfile}.inputs.json`;
}

/** The version of the esbuild package next to the runtime, read without loading esbuild ('' when not found). */
export function esbuildVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('esbuild/package.json') as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

export function buildKey(modulePath: string, outfile: string, options: unknown): string {
  return createHash('sha1').update(JSON.stringify([modulePath, outfile, esbuildVersion(), options])).digest('hex');
}

function sha1Of(file: string): string | undefined {
  try {
    return createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** True when `outfile`, its map and its manifest exist, the key matches and every input still has the recorded contents. */
export function isUpToDate(outfile: string, key: string): boolean {
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath(outfile), 'utf8')) as BuildManifest;
  } catch {
    return false;
  }
  if (manifest.key !== key || !Array.isArray(manifest.inputs) || manifest.inputs.length === 0) return false;
  if (!fs.existsSync(outfile) || !fs.existsSync(`${outfile}.map`)) return false;
  return manifest.inputs.every((input) => sha1Of(input.file) === input.sha1);
}

/** File clocks may lag the process clock by a tick: a source changed this close to the build start counts as changed. */
const CLOCK_MARGIN_MS = 50;

/**
 * Records the inputs of a build just written (atomically, as the outputs: several workers of a step may build at
 * once). `inputs` are the absolute paths of the files read (virtual modules left out by the caller); `buildStartedMs`
 * is the wall clock when the build began: a source modified since then may not be what was compiled, so no manifest
 * is written and the next start compiles again.
 */
export async function writeManifest(outfile: string, key: string, inputs: string[], buildStartedMs: number): Promise<void> {
  const entries: BuildManifest['inputs'] = [];
  for (const file of inputs) {
    const sha1 = sha1Of(file);
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      return;
    }
    // Vanished or changed during the build: no manifest.
    if (sha1 === undefined || mtimeMs >= buildStartedMs - CLOCK_MARGIN_MS) return;
    entries.push({ file, sha1 });
  }
  const manifest: BuildManifest = { key, inputs: entries };
  const tmp = `${manifestPath(outfile)}.${process.pid}.t`;
  await fs.promises.mkdir(path.dirname(outfile), { recursive: true });
  await fs.promises.writeFile(tmp, JSON.stringify(manifest));
  await fs.promises.rename(tmp, manifestPath(outfile));
}
