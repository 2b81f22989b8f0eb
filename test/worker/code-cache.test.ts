// A worker compiles its bundle with a V8 code cache kept in the runtime home: written once the worker is ready, used
// by the next worker; a damaged or refused cache is ignored and replaced; a changed bundle never gets an old cache;
// no cache for debug runs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listFiles, startProc, startWorker, waitFor, WORKER_JS, type Proc } from '../datapath/harness';
import { startOneWorker, type OneWorker } from './one-worker';
import { WORKER_NODE_FLAGS } from '../../runtime/config/generate/watchers';
import { codeCacheDir, codeCacheHome, readCodeCache } from '../../runtime/worker/code-cache';

const STEP = { name: 'main', source: "export const step = { process() { return true; } };\n" };

function cacheFiles(w: OneWorker): string[] {
  const dir = codeCacheDir(w.home.home.root);
  return listFiles(dir).filter((n) => n.endsWith('.bin')).map((n) => path.join(dir, n));
}

/** What the worker's 'worker started' record says of the cache at this start. */
async function cacheStateOf(proc: Proc): Promise<unknown> {
  await waitFor('the worker started record', () => proc.records.some((r) => r.event === 'worker started'), 30_000);
  return proc.records.find((r) => r.event === 'worker started')?.code_cache;
}

/** Gives the worker a file and waits until it is processed (deleted by the no-op step). */
async function processesAFile(w: OneWorker, name: string): Promise<void> {
  await w.give(name, 'x');
  await waitFor(`${name} processed`, () => !fs.existsSync(path.join(w.inbox, name)) && listFiles(w.tmp).length === 0, 30_000);
}

async function oneCacheFile(w: OneWorker, what: string): Promise<string> {
  await waitFor(what, () => cacheFiles(w).length === 1 && Buffer.isBuffer(readCodeCache(cacheFiles(w)[0])), 30_000);
  return cacheFiles(w)[0];
}

/**
 * Stops a worker started by the test at its end. SIGKILL: the fixture's own clean-up (registered first, so run first)
 * has stopped Redis by then, and a worker without Redis waits for it before a graceful exit.
 */
function killAtEnd(t: { after(fn: () => Promise<void>): void }, proc: Proc): Proc {
  t.after(async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await proc.exited;
  });
  return proc;
}

/** A second worker of the same step (the first one stopped). */
async function restart(t: { after(fn: () => Promise<void>): void }, w: OneWorker, from = w.worker): Promise<Proc> {
  await from.stop();
  return killAtEnd(t, startWorker(w.home, w.plugin.name, 'main', { MFDATA_REDIS_UNIX_SOCKET: w.redis.socket }));
}

test('the first worker writes a code cache once ready; the next worker uses it and leaves it as it is', async (t) => {
  const w = await startOneWorker(t, 'cc', [STEP]);
  assert.equal(await cacheStateOf(w.worker), 'missing');
  await processesAFile(w, 'a');
  const file = await oneCacheFile(w, 'the code cache written');
  const before = fs.statSync(file, { bigint: true });
  const second = await restart(t, w);
  assert.equal(await cacheStateOf(second), 'used');
  await processesAFile(w, 'b');
  const after = fs.statSync(file, { bigint: true });
  assert.deepEqual([after.ino, after.mtimeNs], [before.ino, before.mtimeNs], 'a used cache is not written again');
});

test('a damaged cache file (truncated, or not ours) is ignored and replaced by a whole one', async (t) => {
  const w = await startOneWorker(t, 'cc', [STEP]);
  await processesAFile(w, 'a');
  const file = await oneCacheFile(w, 'the code cache written');
  const whole = fs.readFileSync(file);
  fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
  const second = await restart(t, w);
  assert.equal(await cacheStateOf(second), 'damaged');
  await processesAFile(w, 'b');
  await oneCacheFile(w, 'the damaged cache replaced');
  fs.writeFileSync(file, 'not a code cache');
  const third = await restart(t, w, second);
  assert.equal(await cacheStateOf(third), 'damaged');
  await processesAFile(w, 'c');
  await oneCacheFile(w, 'the foreign file replaced');
});

test('a cache V8 refuses (a whole file whose payload is not V8 code) is replaced', async (t) => {
  const w = await startOneWorker(t, 'cc', [STEP]);
  await processesAFile(w, 'a');
  const file = await oneCacheFile(w, 'the code cache written');
  const whole = fs.readFileSync(file);
  // Keep the frame (magic line, SHA-1 line) valid for a payload of the same length filled with other bytes.
  const headerEnd = whole.indexOf(10, whole.indexOf(10) + 1) + 1;
  const junk = Buffer.alloc(whole.length - headerEnd, 0x5a);
  const sha1 = (await import('node:crypto')).createHash('sha1').update(junk).digest('hex');
  fs.writeFileSync(file, Buffer.concat([whole.subarray(0, headerEnd - 41), Buffer.from(`${sha1}\n`), junk]));
  assert.ok(Buffer.isBuffer(readCodeCache(file)), 'the forged file passes our own frame check');
  const second = await restart(t, w);
  assert.equal(await cacheStateOf(second), 'rejected');
  await processesAFile(w, 'b');
  await waitFor('the refused cache replaced', () => { const now = readCodeCache(file); return Buffer.isBuffer(now) && !now.equals(junk); }, 30_000);
});

test('a changed worker bundle is not served the cache of the old one: it writes its own, the old one is removed', async (t) => {
  // A copy of dist/runtime's worker.js and worker-main.js, the bundle changed by a comment; a built-in step, so the
  // copy needs no esbuild next to it.
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-cc-dist-'));
  t.after(() => fs.rmSync(dist, { recursive: true, force: true }));
  const w = await startOneWorker(t, 'cc', [{ ...STEP, config: { stepModule: 'builtin:delete', stepModulePath: undefined } }]);
  await processesAFile(w, 'a');
  const oldFile = await oneCacheFile(w, 'the code cache of the built bundle');
  fs.copyFileSync(WORKER_JS, path.join(dist, 'worker.js'));
  fs.writeFileSync(path.join(dist, 'worker-main.js'), `${fs.readFileSync(path.join(path.dirname(WORKER_JS), 'worker-main.js'), 'utf8')}\n// changed\n`);
  await w.worker.stop();
  const changed = killAtEnd(t, startProc(path.join(dist, 'worker.js'), ['--home', w.home.home.root, '--plugin', 'cc', '--step', 'main'], { MFDATA_REDIS_UNIX_SOCKET: w.redis.socket }, [...WORKER_NODE_FLAGS]));
  assert.equal(await cacheStateOf(changed), 'missing');
  await processesAFile(w, 'b');
  await waitFor('the new bundle\'s cache written and the old one removed', () => cacheFiles(w).length === 1 && cacheFiles(w)[0] !== oldFile, 30_000);
});

test('no code cache without a home, in one-shot debug mode, or when a debugger may attach', () => {
  assert.equal(codeCacheHome(['--home', 'h', '--plugin', 'p', '--step', 's'], [], {}), path.resolve('h'));
  assert.equal(codeCacheHome(['--home=/x/h', '--plugin', 'p'], [...WORKER_NODE_FLAGS], {}), '/x/h');
  assert.equal(codeCacheHome(['--plugin', 'p', '--step', 's'], [], {}), undefined);
  assert.equal(codeCacheHome(['--debug-file', 'f', '--home', 'h'], [], {}), undefined);
  assert.equal(codeCacheHome(['--home', 'h'], ['--inspect-brk=0'], {}), undefined);
  assert.equal(codeCacheHome(['--home', 'h'], [], { NODE_OPTIONS: '--require /x/bootloader.js --inspect-publish-uid=http' }), undefined);
});

test('a worker started without its boot file (the bundle run directly) says so and still works', async (t) => {
  const w = await startOneWorker(t, 'cc', [STEP]);
  await w.worker.stop();
  const direct = killAtEnd(t, startProc(path.join(path.dirname(WORKER_JS), 'worker-main.js'), ['--home', w.home.home.root, '--plugin', 'cc', '--step', 'main'], { MFDATA_REDIS_UNIX_SOCKET: w.redis.socket }, [...WORKER_NODE_FLAGS]));
  assert.equal(await cacheStateOf(direct), 'off');
  await processesAFile(w, 'y');
});
