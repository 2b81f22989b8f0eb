// Benchmark of the data path: files through a no-op step with 2 workers (throughput, CPU per file of observer+workers,
// latency at 200 files/s, idle wake-ups), next to baselines measured in the same run (raw disk create+rename,
// and bare BRPOP+rename consumers without our worker logic). Prints figures; asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../test/helpers/redis-server';
import { encodeMessage, messageFor } from '../runtime/queue/message';

const ROOT = path.resolve(__dirname, '../..');
const WORKER_JS = path.join(ROOT, 'dist/runtime/worker.js');
const OBSERVER_JS = path.join(ROOT, 'dist/runtime/observer.js');
const N = Number(process.env.BENCH_FILES ?? 5000);
const LATENCY_FILES = Number(process.env.BENCH_LATENCY_FILES ?? 1000);
const TICK_MS = 1000 / Number(os.constants.priority ? 100 : 100); // USER_HZ is 100 on Linux

/** The no-op step: records when each file is finished (after the worker's own bookkeeping) for the latency figure. */
const NOOP_STEP = `
import * as fs from 'node:fs';
const done: string[] = [];
export const step = {
  process() { return true; },
  after(status, ctx, file) { if (ctx.options.record === '1') done.push(file.originalBasename + ' ' + globalThis.process.hrtime.bigint()); },
  destroy(ctx) { if (done.length > 0) fs.writeFileSync(ctx.getCustom('record_dir') + '/' + globalThis.process.pid, done.join('\\n')); },
};
`;

/** The baseline consumer: BRPOP then rename, nothing else. */
const BARE_CONSUMER = `
const Redis = require(${JSON.stringify(require.resolve('ioredis'))});
const fs = require('node:fs');
const [socket, queue, done, count] = process.argv.slice(1);
const r = new Redis({ path: socket });
(async () => {
  for (;;) {
    const m = await r.brpop(queue, 0);
    if (m[1] === 'STOP') break;
    const msg = JSON.parse(m[1]);
    try { fs.renameSync(msg.directory + '/' + msg.filename, done + '/' + msg.filename); } catch {}
  }
  r.disconnect();
})();
`;

function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function ctxSwitches(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0) + Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Every pid of our processes and their children (inotifywait), and their threads' wake-ups. */
function allPids(procs: ChildProcess[]): number[] {
  return procs.flatMap((p) => [p.pid as number, ...childrenOf(p.pid as number)]);
}

function threadSwitches(pid: number): number {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => sum + ctxSwitches(Number(tid)), 0);
  } catch {
    return 0;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await sleep(5);
  }
}

function count(dir: string): number {
  try {
    return fs.readdirSync(dir).length;
  } catch {
    return 0;
  }
}

function makeFiles(dir: string, n: number, prefix: string): void {
  for (let i = 0; i < n; i++) {
    const name = `${prefix}${i}`;
    fs.writeFileSync(path.join(dir, `${name}.t`), 'x'.repeat(100));
    fs.renameSync(path.join(dir, `${name}.t`), path.join(dir, name));
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function line(label: string, value: string): void {
  console.log(`${label.padEnd(58)} ${value}`);
}

async function main(): Promise<void> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-bench-'));
  const redis = await startTestRedis();
  const client = new Redis({ path: redis.socket });
  const procs: ChildProcess[] = [];
  try {
    const home = path.join(base, 'home');
    const inDir = path.join(home, 'var/in');
    const inbox = path.join(inDir, 'step.bench.main');
    const pluginDir = path.join(base, 'plugin');
    const recordDir = path.join(base, 'record');
    for (const d of [inbox, pluginDir, recordDir, path.join(home, 'tmp/config_auto/plugins')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(pluginDir, 'main.ts'), NOOP_STEP);
    const stepCfg = (record: string) => ({
      name: 'main', stepModule: 'main.ts', stepModulePath: path.join(pluginDir, 'main.ts'), numprocesses: 2, debug: false, timeout: 10,
      processTimeout: 0, maxAge: 0, maxAgeVariance: 0, watchedDirectories: [inbox], failurePolicy: 'keep', failurePolicyMoveDestDir: '',
      retryTotal: 0, retryMinWait: 0, retryMaxWait: 0, retryBackoff: 0, stepLimit: 1000, batchMaxSize: 100, batchMaxWait: 10, options: { record },
    });
    const writeConfig = (record: string): void => fs.writeFileSync(path.join(home, 'tmp/config_auto/plugins/bench.json'), JSON.stringify({
      name: 'bench', dir: pluginDir, origin: 'workspace', configFile: '', version: '1', release: '1', summary: '', license: '', url: '',
      maintainer: '', vendor: '', steps: [stepCfg(record)], extraDaemons: [], custom: { record_dir: recordDir }, switchRules: [],
    }));
    fs.writeFileSync(path.join(home, 'tmp/config_auto/directory_observer.ini'),
      `[common]\nredis_unix_socket = ${redis.socket}\n\n[step_bench_main_1]\nactive = true\ndirectory = ${inbox}\nqueue = step.bench.main\n`);
    const env = { ...process.env, MFDATA_REDIS_UNIX_SOCKET: redis.socket, MFLOG_MINIMAL_LEVEL: 'WARNING' };
    const startWorkers = async (): Promise<ChildProcess[]> => {
      const ws = [0, 1].map(() => spawn(process.execPath, ['--enable-source-maps', WORKER_JS, '--home', home, '--plugin', 'bench', '--step', 'main'], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
      procs.push(...ws);
      // Started = registered in the step's tmp area.
      await waitUntil(() => count(path.join(inDir, 'tmp/bench.main/.workers')) >= 2, 20_000);
      return ws;
    };
    const stopAll = async (list: ChildProcess[]): Promise<void> => {
      await Promise.all(list.map((c) => new Promise((r) => { if (c.exitCode !== null) r(null); else { c.once('exit', r); c.kill('SIGTERM'); } })));
    };

    console.log(`machine: ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ${N} files of 100 B, tmp on ${os.tmpdir()}`);

    // Baseline 1: what the disk allows a producer (create via .t + rename).
    const rawDir = path.join(base, 'raw');
    fs.mkdirSync(rawDir);
    let t0 = process.hrtime.bigint();
    makeFiles(rawDir, N, 'r');
    const rawRate = N / (Number(process.hrtime.bigint() - t0) / 1e9);
    line('baseline: disk create+rename (1 producer)', `${rawRate.toFixed(0)} files/s`);
    fs.rmSync(rawDir, { recursive: true });

    // Baseline 2: bare BRPOP+rename consumers (2 processes) draining pre-created files and pre-pushed messages.
    const doneDir = path.join(base, 'done');
    fs.mkdirSync(doneDir);
    makeFiles(inbox, N, 'b');
    for (let i = 0; i < N; i++) void client.lpush('bare', encodeMessage(messageFor(inbox, `b${i}`, 'created')));
    await client.ping();
    const bare = [0, 1].map(() => spawn(process.execPath, ['-e', BARE_CONSUMER, redis.socket, 'bare', doneDir, String(N)], { stdio: 'inherit' }));
    procs.push(...bare);
    await sleep(300);
    const bareCpu0 = bare.reduce((s, c) => s + cpuMs(c.pid as number), 0);
    t0 = process.hrtime.bigint();
    await waitUntil(() => count(doneDir) >= N, 60_000);
    const bareSec = Number(process.hrtime.bigint() - t0) / 1e9;
    const bareCpu = bare.reduce((s, c) => s + cpuMs(c.pid as number), 0) - bareCpu0;
    await client.lpush('bare', 'STOP', 'STOP');
    await stopAll(bare);
    line('baseline: bare BRPOP+rename, 2 consumers (drain)', `${(N / bareSec).toFixed(0)} files/s, ${(bareCpu / N).toFixed(3)} ms CPU/file`);

    // Ours, drain: same pre-created files and pre-pushed messages, 2 workers with claim, tags, counters, traces.
    writeConfig('0');
    makeFiles(inbox, N, 'd');
    for (let i = 0; i < N; i++) void client.lpush('step.bench.main', encodeMessage(messageFor(inbox, `d${i}`, 'created')));
    await client.ping();
    await sleep(50);
    let workers = await startWorkers();
    const wCpu0 = workers.reduce((s, c) => s + cpuMs(c.pid as number), 0);
    // Started workers are already draining: measure from their registration.
    t0 = process.hrtime.bigint();
    await waitUntil(() => count(inbox) === 0, 60_000);
    const redisStart = await client.get('counter.bench.main');
    await waitUntil(() => count(path.join(inDir, 'tmp/bench.main')) <= 1, 60_000);
    const drainSec = Number(process.hrtime.bigint() - t0) / 1e9;
    const drainCpu = workers.reduce((s, c) => s + cpuMs(c.pid as number), 0) - wCpu0;
    line('ours: 2 workers, no-op step (drain, no observer)', `${(N / drainSec).toFixed(0)} files/s, ${(drainCpu / N).toFixed(3)} ms CPU/file (counter ${redisStart})`);

    // The observer alone: CPU per announced file while a producer creates N files (workers stopped).
    await stopAll(workers);
    const observer = spawn(process.execPath, ['--enable-source-maps', OBSERVER_JS, '--config', path.join(home, 'tmp/config_auto/directory_observer.ini'), '--home', home], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    procs.push(observer);
    await sleep(800);
    await client.del('step.bench.main');
    const obsCpu = (): number => allPids([observer]).reduce((s, pid) => s + cpuMs(pid), 0);
    let c0 = obsCpu();
    makeFiles(inbox, N, 'o');
    while ((await client.llen('step.bench.main')) < N) await sleep(10);
    const observerPerFile = (obsCpu() - c0) / N;
    line('ours: observer + inotifywait alone (producer at disk speed)', `${observerPerFile.toFixed(3)} ms CPU/file`);
    // …then 2 workers drain what the observer queued.
    workers = await startWorkers();
    let w0 = workers.reduce((s, c) => s + cpuMs(c.pid as number), 0);
    t0 = process.hrtime.bigint();
    await waitUntil(() => count(inbox) === 0 && count(path.join(inDir, 'tmp/bench.main')) <= 1, 60_000);
    const sat = Number(process.hrtime.bigint() - t0) / 1e9;
    const workersPerFile = (workers.reduce((s, c) => s + cpuMs(c.pid as number), 0) - w0) / N;
    line('ours: 2 workers drain the observer\'s queue', `${(N / sat).toFixed(0)} files/s, ${workersPerFile.toFixed(3)} ms CPU/file`);
    const saturated = observerPerFile + workersPerFile;
    line('  CPU per file outside the step at saturation (sum)', `${saturated.toFixed(3)} ms -> ${(2000 / saturated).toFixed(0)} files/s equivalent on 2 CPUs`);

    // Everything running, a producer creating N files as fast as the disk allows (files trickle in one by one).
    const ours = [observer, ...workers];
    const cpuAll = (): number => allPids(ours).reduce((s, pid) => s + cpuMs(pid), 0);
    c0 = cpuAll();
    w0 = obsCpu();
    t0 = process.hrtime.bigint();
    makeFiles(inbox, N, 'e');
    const producedSec = Number(process.hrtime.bigint() - t0) / 1e9;
    await waitUntil(() => count(inbox) === 0 && count(path.join(inDir, 'tmp/bench.main')) <= 1, 120_000);
    const e2eSec = Number(process.hrtime.bigint() - t0) / 1e9;
    const e2eCpu = cpuAll() - c0;
    line('ours: observer + 2 workers live, producer at disk speed', `${(N / e2eSec).toFixed(0)} files/s (producer alone ${(N / producedSec).toFixed(0)} files/s while running)`);
    line('  CPU per file outside the step (one file at a time)', `${(e2eCpu / N).toFixed(3)} ms (observer+inotifywait ${((obsCpu() - w0) / N).toFixed(3)} ms)`);

    // Idle: no wake-ups expected from observer, inotifywait or workers.
    await sleep(500);
    const idlePids = allPids(ours);
    const s0 = idlePids.reduce((s, pid) => s + threadSwitches(pid), 0);
    c0 = cpuAll();
    await sleep(5000);
    const wakeups = idlePids.reduce((s, pid) => s + threadSwitches(pid), 0) - s0;
    line('idle 5 s: context switches of all our processes/threads', `${wakeups} (${(wakeups / 5).toFixed(1)}/s), CPU ${(cpuAll() - c0).toFixed(0)} ms`);

    // Latency at 200 files/s: from the producer's rename to the end of the worker's work on the file.
    await stopAll(workers);
    writeConfig('1');
    workers = await startWorkers();
    ours.splice(1, ours.length - 1, ...workers);
    const sent = new Map<string, bigint>();
    const startAt = process.hrtime.bigint();
    for (let i = 0; i < LATENCY_FILES; i++) {
      const due = startAt + BigInt(Math.round((i * 1e9) / 200));
      while (process.hrtime.bigint() < due) await sleep(Math.max(0, Number(due - process.hrtime.bigint()) / 1e6 - 1));
      const name = `l${i}`;
      fs.writeFileSync(path.join(inbox, `${name}.t`), 'x'.repeat(100));
      fs.renameSync(path.join(inbox, `${name}.t`), path.join(inbox, name));
      sent.set(name, process.hrtime.bigint());
    }
    await waitUntil(() => count(inbox) === 0 && count(path.join(inDir, 'tmp/bench.main')) <= 1, 60_000);
    await stopAll(workers);
    const lat: number[] = [];
    for (const f of fs.readdirSync(recordDir)) {
      for (const rec of fs.readFileSync(path.join(recordDir, f), 'utf8').split('\n')) {
        const [name, at] = rec.split(' ');
        const s = sent.get(name);
        if (s !== undefined) lat.push(Number(BigInt(at) - s) / 1e6);
      }
    }
    lat.sort((a, b) => a - b);
    line(`ours: latency at 200 files/s (${lat.length} files)`, `p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms, max ${lat[lat.length - 1].toFixed(2)} ms`);
    await stopAll([observer]);
    console.log('targets (issue #4): >= 3,000 files/s equivalent, p99 <= 3 ms at 200 files/s, <= 0.3 ms CPU/file outside the step, no idle wake-ups');
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    client.disconnect();
    await redis.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
