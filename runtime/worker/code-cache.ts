// Where a worker's V8 code cache lives, under which key, and how it is read and written (framed, atomically).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Why: compiling the worker bundle (~590 KB) and the functions it runs before the first pop costs every worker start
 * ~10 ms of CPU; V8 can reuse that work from a code cache made by an earlier worker (Node 20 has no
 * module.enableCompileCache, so worker.js compiles the bundle itself with vm.Script and cachedData). The key holds the
 * bundle's contents (V8 itself only checks the source length), the node and V8 versions, the architecture and the
 * node flags, so a changed bundle or another node never gets an old cache. The file is framed with the SHA-1 of its
 * payload: a truncated or damaged file is ignored (and replaced), never handed to V8.
 */
const MAGIC = 'mfdata-v8-code-cache 1\n';
const HEADER_BYTES = MAGIC.length + 40 + 1;
const FILE_PREFIX = 'worker-';
const FILE_SUFFIX = '.bin';

export interface CodeCacheFacts {
  nodeVersion: string;
  v8Version: string;
  arch: string;
  execArgv: readonly string[];
}

export function currentFacts(): CodeCacheFacts {
  return { nodeVersion: process.version, v8Version: process.versions.v8, arch: process.arch, execArgv: process.execArgv };
}

export function codeCacheKey(bundleSource: string, facts: CodeCacheFacts): string {
  return createHash('sha1').update(bundleSource).update('\0').update(JSON.stringify(facts)).digest('hex');
}

/** `<home>/tmp/code-cache/`. */
export function codeCacheDir(homeRoot: string): string {
  return path.join(homeRoot, 'tmp', 'code-cache');
}

export function codeCacheFile(homeRoot: string, key: string): string {
  return path.join(codeCacheDir(homeRoot), `${FILE_PREFIX}${key}${FILE_SUFFIX}`);
}

/**
 * The runtime home whose cache a worker started with these arguments uses, or undefined when it must use none: no `--home`
 * (nothing to keep it in), MFDATA's one-shot debug mode, or a debugger that may attach (`--inspect` in the node
 * flags or NODE_OPTIONS, as VS Code's debugger sets): a debugged worker compiles its code as plain node does.
 */
export function codeCacheHome(argv: readonly string[], execArgv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  if (argv.some((a) => a === '--debug-file' || a.startsWith('--debug-file='))) return undefined;
  const inspect = (a: string): boolean => a.startsWith('--inspect') || a.startsWith('--debug');
  if (execArgv.some(inspect) || (env.NODE_OPTIONS ?? '').split(/\s+/).some(inspect)) return undefined;
  let home: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--home') home = argv[i + 1];
    else if (argv[i].startsWith('--home=')) home = argv[i].slice('--home='.length);
  }
  return home ? path.resolve(home) : undefined;
}

/**
 * What became of the cache at this start, logged with 'worker started': `used` (V8 took it), `missing` (none yet for
 * this bundle and node: one is written once the worker is ready), `damaged` (not a whole cache file: ignored and
 * replaced), `rejected` (V8 refused it: replaced), `off` (no cache for this process, see codeCacheHome).
 */
export type CodeCacheState = 'used' | 'missing' | 'damaged' | 'rejected' | 'off';

/** Where worker.js leaves the state for the bundle it runs (two bundles share no module, only the global object). */
const STATE_SLOT = Symbol.for('mfdata.worker.codeCache');

export function setCodeCacheState(state: CodeCacheState): void {
  (globalThis as Record<symbol, unknown>)[STATE_SLOT] = state;
}

/** The state worker.js set; `off` when the bundle was started without it. */
export function codeCacheState(): CodeCacheState {
  return ((globalThis as Record<symbol, unknown>)[STATE_SLOT] as CodeCacheState | undefined) ?? 'off';
}

/** The payload of a cache file: `missing` when there is none, `damaged` when it is not a whole file of ours. */
export function readCodeCache(file: string): Buffer | 'missing' | 'damaged' {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return 'missing';
  }
  if (data.length <= HEADER_BYTES || data.toString('latin1', 0, MAGIC.length) !== MAGIC) return 'damaged';
  const payload = data.subarray(HEADER_BYTES);
  const sha1 = data.toString('latin1', MAGIC.length, MAGIC.length + 40);
  return createHash('sha1').update(payload).digest('hex') === sha1 ? payload : 'damaged';
}

/**
 * Writes the cache atomically (several workers of a home may write at once: the last rename wins, each file whole),
 * then removes the caches of other keys in the directory (an older bundle or node: never used again).
 */
export async function writeCodeCache(file: string, payload: Buffer): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true });
  const header = `${MAGIC}${createHash('sha1').update(payload).digest('hex')}\n`;
  const tmp = `${file}.${process.pid}.t`;
  try {
    await fs.promises.writeFile(tmp, Buffer.concat([Buffer.from(header, 'latin1'), payload]));
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  for (const name of await fs.promises.readdir(dir)) {
    if (name.startsWith(FILE_PREFIX) && name.endsWith(FILE_SUFFIX) && name !== path.basename(file)) {
      await fs.promises.rm(path.join(dir, name), { force: true });
    }
  }
}
