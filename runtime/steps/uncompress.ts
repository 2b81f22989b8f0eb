// builtin:ungzip and builtin:unbzip2: uncompress a file into the step's tmp area (zlib for gzip, the system `bzip2 -d -c` for bzip2).
// Why a child process for bzip2: Node has no bzip2 codec and no well-kept library provides one; bzip2(1) is everywhere.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { lazyBuiltins } from '../util/lazy-builtins';
import type { Awaitable, StepDefinition, StepFile, StepLogger } from '../api/types';
import { destinationOption, LazyTags, BuiltinStepError, type BuiltinDeps } from './builtin';

import type { Compression } from '../api/types';

export type { Compression };

/** The data is not valid for the method (corrupt, truncated, empty, another format): the file fails, it is kept. */
export class InvalidCompressedDataError extends Error {
  constructor(readonly method: Compression, file: string, reason: string) {
    super(`${file} is not valid ${method} data: ${reason}`);
    this.name = 'InvalidCompressedDataError';
  }
}

/** The `bzip2` command cannot be run here: nothing about the file, the machine lacks the tool. */
export class Bzip2MissingError extends Error {
  constructor(readonly command: string, where: string, reason: string) {
    super(`${where}: cannot run '${command}' (${reason}): install bzip2 (apt-get install -y bzip2) or put it on the worker's PATH`);
    this.name = 'Bzip2MissingError';
  }
}

export interface UncompressOptions {
  /** The bzip2 executable (default `bzip2`, found on PATH). */
  bzip2Command?: string;
  /** Names the step in errors: `plugin 'p' [step_s] (builtin:unbzip2)`. */
  where?: string;
  /** Where the data is streamed before the rename (default `<out>.t`). */
  partial?: string;
}

/**
 * Uncompresses `src` into `out`, streaming: first into `<out>.t` (or `options.partial`), renamed to `out` once
 * complete, so `out` is either whole or absent. Throws InvalidCompressedDataError for bad data, Bzip2MissingError without bzip2.
 */
export async function uncompressFile(method: Compression, src: string, out: string, options: UncompressOptions = {}): Promise<void> {
  const partial = options.partial ?? `${out}.t`;
  try {
    if (method === 'gzip') await gunzipTo(src, partial);
    else await bunzip2To(src, partial, options.bzip2Command ?? 'bzip2', options.where ?? 'unbzip2');
    await fs.promises.rename(partial, out);
  } catch (err) {
    await fs.promises.rm(partial, { force: true });
    throw err;
  }
}

async function gunzipTo(src: string, dst: string): Promise<void> {
  try {
    await pipeline(fs.createReadStream(src), lazyBuiltins.zlib().createGunzip(), fs.createWriteStream(dst));
  } catch (err) {
    // As ever for ungzip: whatever stops the stream fails the file (no tool can be missing here).
    throw new InvalidCompressedDataError('gzip', src, (err as Error).message);
  }
}

/** `bzip2 -d -c <src>` (an argument vector, no shell) with its stdout streamed into `dst`. */
async function bunzip2To(src: string, dst: string, command: string, where: string): Promise<void> {
  const child = lazyBuiltins.childProcess().spawn(command, ['-d', '-c', '--', src], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-2000); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  // Both must settle: a spawn failure rejects `exited`, and the pipeline then ends with an empty stream.
  const [copied, result] = await Promise.allSettled([pipeline(child.stdout, fs.createWriteStream(dst)), exited]);
  if (result.status === 'rejected') {
    const err = result.reason as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EACCES') throw new Bzip2MissingError(command, where, err.code === 'ENOENT' ? 'not found' : 'not executable');
    throw err;
  }
  if (copied.status === 'rejected') throw copied.reason;
  const { code, signal } = result.value;
  if (code !== 0) {
    const reason = stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ') || `bzip2 exited ${code ?? signal}`;
    throw new InvalidCompressedDataError('bzip2', src, reason);
  }
}

/** `builtin:ungzip` / `builtin:unbzip2`: uncompresses into the step's tmp area, gives the result the file's tags, forwards it to `dest_dir`. */
function uncompressStep(method: Compression, deps: BuiltinDeps, options: UncompressOptions = {}): StepDefinition {
  const builtin = method === 'gzip' ? 'ungzip' : 'unbzip2';
  const dest = destinationOption(deps, 'dest_dir', 'guess_file_type/main');
  if (dest.kind !== 'step') throw new BuiltinStepError(deps.plugin.name, deps.step.name, 'dest_dir', 'must be plugin/step');
  const where = `plugin '${deps.plugin.name}' [step_${deps.step.name}] (builtin:${builtin})`;
  const tags = new LazyTags(deps);
  return {
    init(ctx) {
      // Said once at start, not only per file: the operator sees the fix before files pile up in the trash.
      const command = options.bzip2Command ?? 'bzip2';
      if (method === 'bzip2' && lazyBuiltins.childProcess().spawnSync(command, ['--help'], { stdio: 'ignore' }).status !== 0) {
        ctx.log.error(`${where}: the bzip2 command is not installed: every file will fail`, { command, hint: 'apt-get install -y bzip2' });
      }
    },
    async process(file, ctx) {
      const out = ctx.tmpPath(builtin);
      try {
        // Both are scratch names of the tmp area (`<uid>.….tmp`): a worker that dies mid-stream leaves nothing for good.
        await uncompressFile(method, file.path, out, { ...options, where, partial: ctx.tmpPath(`${builtin}.t.`) });
      } catch (err) {
        // Bad data fails the file (failure policy); a missing bzip2 throws: logged with the fix, the file kept by the policy.
        if (!(err instanceof InvalidCompressedDataError)) throw err;
        ctx.log.warning(`not a valid ${method} file`, { file: file.path, original_basename: file.originalBasename, reason: err.message });
        return false;
      }
      await tags.get().copy(file.path, out);
      return ctx.moveToPluginStep(out, dest.plugin, dest.step, { keepOriginalBasename: true });
    },
    destroy: () => tags.close(),
  };
}

export function ungzipStep(deps: BuiltinDeps): StepDefinition {
  return uncompressStep('gzip', deps);
}

/** @param options.bzip2Command another bzip2 executable (tests name a missing one) */
export function unbzip2Step(deps: BuiltinDeps, options: UncompressOptions = {}): StepDefinition {
  return uncompressStep('bzip2', deps, options);
}

/** What `ctx.uncompressed` needs from a step context: its tmp area, its tag store and its logger. */
export interface UncompressHost {
  tmpPath(suffix: string): string;
  copyTags(src: string, dst: string): Promise<void>;
  dropTags(file: string): Promise<void>;
  log: StepLogger;
  /** Names the step in errors. */
  where: string;
}

/** `ctx.uncompressed` (MFDATA's uncompress decorators): see StepContext.uncompressed in runtime/api/types.ts. */
export async function withUncompressed(host: UncompressHost, file: StepFile, method: Compression, strict: boolean, fn: (file: StepFile) => Awaitable<boolean>): Promise<boolean> {
  const name = method === 'gzip' ? 'ungzip' : 'unbzip2';
  const out = host.tmpPath(name);
  try {
    await fs.promises.mkdir(path.dirname(out), { recursive: true });
    await uncompressFile(method, file.path, out, { where: host.where, partial: host.tmpPath(`${name}.t.`) });
  } catch (err) {
    if (!(err instanceof InvalidCompressedDataError)) throw err;
    if (!strict) return fn(file);
    host.log.warning(`not a valid ${method} file: the step was not called`, { file: file.path, original_basename: file.originalBasename, reason: err.message });
    return false;
  }
  try {
    await host.copyTags(file.path, out);
    return await fn({ ...file, path: out });
  } finally {
    // Routed elsewhere by fn, it is gone already (and its tags went with it).
    await fs.promises.rm(out, { force: true });
    await host.dropTags(out);
  }
}
