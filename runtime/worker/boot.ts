// Entry point of a step worker process (dist/runtime/worker.js): compiles the worker bundle (worker-main.js, from
// runtime/worker/main.ts) with a V8 code cache kept in the runtime home, and runs it as node would run it.
import * as fs from 'node:fs';
import { createRequire, Module } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { READY_EVENT } from '../util/ready';
import { codeCacheFile, codeCacheHome, codeCacheKey, currentFacts, readCodeCache, setCodeCacheState, writeCodeCache } from './code-cache';

/** The bundled worker, next to this file in dist/runtime. */
const bundle = path.join(__dirname, 'worker-main.js');

/** How long after readiness (plus up to as much again, at random) a worker writes a missing cache. */
const WRITE_DELAY_MS = 1000;

/** Inode and change time of a file ('' when absent): a different value means another worker wrote it meanwhile. */
function fileIdentity(file: string): string {
  const st = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  return st === undefined ? '' : `${st.ino}:${st.ctimeNs}`;
}

function boot(): void {
  const source = fs.readFileSync(bundle, 'utf8');
  const home = codeCacheHome(process.argv.slice(2), process.execArgv, process.env);
  const cacheFile = home === undefined ? undefined : codeCacheFile(home, codeCacheKey(source, currentFacts()));
  const read = cacheFile === undefined ? 'off' : readCodeCache(cacheFile);
  const cachedData = typeof read === 'string' ? undefined : read;
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const state = typeof read === 'string' ? read : script.cachedDataRejected === true ? 'rejected' : 'used';
  setCodeCacheState(state);
  if (cacheFile !== undefined && state !== 'used') {
    // Made a moment after the worker is ready: the cache then also holds the functions its start-up and first files
    // compiled, not only the top level, and the CPU it takes (~5 ms) is not spent while the other workers of a
    // `mfdata start` are still starting. Of the workers that started without a cache, the first to get there writes
    // it; the others see the file changed since their start and leave it. A failed write costs the next start a compile.
    const seen = fileIdentity(cacheFile);
    (process as NodeJS.EventEmitter).once(READY_EVENT, () => {
      setTimeout(() => {
        if (fileIdentity(cacheFile) !== seen) return;
        writeCodeCache(cacheFile, script.createCachedData()).catch(() => undefined);
      }, WRITE_DELAY_MS + Math.random() * WRITE_DELAY_MS).unref();
    });
  }
  const main = new Module(bundle, module);
  main.filename = bundle;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(main.exports, main.exports, createRequire(bundle), main, bundle, path.dirname(bundle));
}

boot();
