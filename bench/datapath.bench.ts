// Benchmark of the data path: files through a no-op step with 2 workers (throughput, CPU per file of observer+workers,
// latency at 200 files/s from the producer's rename to the end of the worker's work, idle wake-ups), next to baselines
// measured in the same run (disk create+rename; bare BRPOP+rename consumers; a bare inotifywait→LPUSH→BRPOP+rename
// chain for latency, after BENCH_WARMUP_FILES files at full speed). BENCH_ROUNDS rounds (default 3), printed as median [min–max] with the load average of each round.
// BENCH_PHASES: a subset of throughput,idle,latency. BENCH_NODE_ARGS: extra node options for our observer and workers
// (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
// Prints figures; asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../test/helpers/redis-server';
import { encodeMessage, messageFor } from '../runtime/queue/message';
import { BARE_CONSUMER, BARE_OBSERVER } from './lib/bare';
import { childrenOf, cpuMs, threadSwitches } from './lib/proc';

const ROOT = path.resolve(__dirname, '../..');
const WORKER_JS = path.join(ROOT, 'dist/runtime/worker.js');
const OBSERVER_JS = path.join(ROOT, 'dist/runtime/observer.js');
const N = Number(process.env.BENCH_FILES ?? 5000);
const LATENCY_FILES = Number(process.env.BENCH_LATENCY_FILES ?? 1000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const LATENCY_RATE = 200;
/** Files pushed through at full speed before a latency run: long-lived processes run JIT-compiled code, fresh ones do not. */
const WARMUP_FILES = Number(process.env.BENCH_WARMUP_FILES ?? 3000);
/** Parts to run: throughput (baselines, drains, end to end), idle, latency (ours and the bare chain). */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'throughput,idle,latency').split(','));

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

/** Every pid of our processes and their children (inotifywait). */
function allPids(procs: ChildProcess[]): number[] {
  return procs.flatMap((p) => [p.pid as number, ...childrenOf(p.pid as number)]);
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
  console.log(`${label.padEnd(62)} ${value}`);
}

function load(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

/** Figures of one round, by name (printed per round, then as median [min–max] over the rounds). */
type Figures = Map<string, number>;

function summary(rounds: Figures[], name: string, digits: number, unit: string): string {
  const values = rounds.map((r) => r.get(name)).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (values.length === 0) return '-';
  const median = values.length % 2 === 1 ? values[(values.length - 1) / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
  return `${median.toFixed(digits)} [${values[0].toFixed(digits)}–${values[values.length - 1].toFixed(digits)}] ${unit}`;
}

/** Paces LATENCY_FILES files at LATENCY_RATE/s (write `.t`, rename in); returns each file's rename time. */
async function paced(dir: string, prefix: string): Promise<Map<string, bigint>> {
  const sent = new Map<string, bigint>();
  const startAt = process.hrtime.bigint();
  for (let i = 0; i < LATENCY_FILES; i++) {
    const due = startAt + BigInt(Math.round((i * 1e9) / LATENCY_RATE));
    while (process.hrtime.bigint() < due) await sleep(Math.max(0, Number(due - process.hrtime.bigint()) / 1e6 - 1));
    const name = `${prefix}${i}`;
    fs.writeFileSync(path.join(dir, `${name}.t`), 'x'.repeat(100));
    fs.renameSync(path.join(dir, `${name}.t`), path.join(dir, name));
    sent.set(name, process.hrtime.bigint());
  }
  return sent;
}

/** `cmd calls/file` for every command counted since CONFIG RESETSTAT (the bench's own INFO excluded). */
function commandsPerFile(info: string, files: number): string {
  return [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)]
    .filter(([, cmd]) => cmd !== 'info' && cmd !== 'config|resetstat')
    .map(([, cmd, calls]) => `${cmd} ${(Number(calls) / files).toFixed(2)}`)
    .join(', ');
}

/** Latencies (ms, sorted) from record files of `name hrtime` lines. */
function latencies(recordFiles: string[], sent: Map<string, bigint>): number[] {
  const lat: number[] = [];
  for (const f of recordFiles) {
    for (const rec of fs.readFileSync(f, 'utf8').split('\n')) {
      const [name, at] = rec.split(' ');
      const s = sent.get(name);
      if (s !== undefined) lat.push(Number(BigInt(at) - s) / 1e6);
    }
  }
  return lat.sort((a, b) => a - b);
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
    const claims = path.join(inDir, 'tmp/bench.main');
    const pluginDir = path.join(base, 'plugin');
    const recordDir = path.join(base, 'record');
    const doneDir = path.join(base, 'done');
    const bareIn = path.join(base, 'bare-in');
    for (const d of [inbox, pluginDir, recordDir, doneDir, bareIn, path.join(home, 'tmp/config_auto/plugins')]) fs.mkdirSync(d, { recursive: true });
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
    // Metrics sinks off (the default): the MFDATA_METRICS_* of the calling shell must not leak in.
    const env: NodeJS.ProcessEnv = { ...process.env, MFDATA_REDIS_UNIX_SOCKET: redis.socket, MFLOG_MINIMAL_LEVEL: 'WARNING' };
    for (const k of Object.keys(env)) if (k.startsWith('MFDATA_METRICS_')) delete env[k];
    const cpuOf = (list: ChildProcess[]): number => allPids(list).reduce((s, pid) => s + cpuMs(pid), 0);
    const startWorkers = async (): Promise<ChildProcess[]> => {
      const ws = [0, 1].map(() => spawn(process.execPath, ['--enable-source-maps', ...NODE_ARGS, WORKER_JS, '--home', home, '--plugin', 'bench', '--step', 'main'], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
      procs.push(...ws);
      // Started = registered in the step's tmp area.
      await waitUntil(() => count(path.join(claims, '.workers')) >= 2, 20_000);
      return ws;
    };
    const stopAll = async (list: ChildProcess[]): Promise<void> => {
      await Promise.all(list.map((c) => new Promise((r) => { if (c.exitCode !== null) r(null); else { c.once('exit', r); c.kill('SIGTERM'); } })));
    };
    const redisPid = redis.process.pid as number;
    const drained = (): boolean => count(inbox) === 0 && count(claims) <= 1;
    let observerProc: ChildProcess | undefined;
    const startObserver = async (): Promise<ChildProcess> => {
      if (observerProc) return observerProc;
      const observer = spawn(process.execPath, ['--enable-source-maps', ...NODE_ARGS, OBSERVER_JS, '--config', path.join(home, 'tmp/config_auto/directory_observer.ini'), '--home', home], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      procs.push(observer);
      observerProc = observer;
      await sleep(800);
      return observer;
    };

    console.log(`machine: ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ${N} files of 100 B, tmp on ${os.tmpdir()}, ${ROUNDS} rounds`);
    console.log(`load average at start (1/5/15 min): ${load()}`);
    const rounds: Figures[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const f: Figures = new Map();
      rounds.push(f);
      console.log(`\n-- round ${round}/${ROUNDS}, load ${load()}`);
      const id = `r${round}`;
      let workers: ChildProcess[] = [];
      if (PHASES.has('throughput')) {
        // Baseline 1: what the disk allows a producer (create via .t + rename).
        const rawDir = path.join(base, `raw${round}`);
        fs.mkdirSync(rawDir);
        let t0 = process.hrtime.bigint();
        makeFiles(rawDir, N, 'r');
        f.set('disk', N / (Number(process.hrtime.bigint() - t0) / 1e9));
        line('baseline: disk create+rename (1 producer)', `${f.get('disk')?.toFixed(0)} files/s`);
        fs.rmSync(rawDir, { recursive: true });

        // Baseline 2: bare BRPOP+rename consumers (2 processes) draining pre-created files and pre-pushed messages.
        makeFiles(inbox, N, `${id}b`);
        for (let i = 0; i < N; i++) void client.lpush('bare', encodeMessage(messageFor(inbox, `${id}b${i}`, 'created')));
        await client.ping();
        const bare = [0, 1].map(() => spawn(process.execPath, ['-e', BARE_CONSUMER, redis.socket, 'bare', doneDir, ''], { stdio: 'inherit' }));
        procs.push(...bare);
        await sleep(300);
        let c0 = cpuOf(bare);
        t0 = process.hrtime.bigint();
        await waitUntil(() => count(doneDir) >= N, 60_000);
        const bareSec = Number(process.hrtime.bigint() - t0) / 1e9;
        f.set('bareRate', N / bareSec).set('bareCpu', (cpuOf(bare) - c0) / N);
        await client.lpush('bare', 'STOP', 'STOP');
        await stopAll(bare);
        fs.rmSync(doneDir, { recursive: true });
        fs.mkdirSync(doneDir);
        line('baseline: bare BRPOP+rename, 2 consumers (drain)', `${f.get('bareRate')?.toFixed(0)} files/s, ${f.get('bareCpu')?.toFixed(3)} ms CPU/file`);

        // Ours, drain: same pre-created files and pre-pushed messages, 2 workers with claim, tags, counters, traces.
        writeConfig('0');
        makeFiles(inbox, N, `${id}d`);
        for (let i = 0; i < N; i++) void client.lpush('step.bench.main', encodeMessage(messageFor(inbox, `${id}d${i}`, 'created')));
        await client.ping();
        workers = await startWorkers();
        c0 = cpuOf(workers);
        // Started workers are already draining: measure from their registration.
        t0 = process.hrtime.bigint();
        await waitUntil(drained, 60_000);
        const drainSec = Number(process.hrtime.bigint() - t0) / 1e9;
        f.set('drainRate', N / drainSec).set('drainCpu', (cpuOf(workers) - c0) / N);
        line('ours: 2 workers, no-op step (drain, no observer)', `${f.get('drainRate')?.toFixed(0)} files/s, ${f.get('drainCpu')?.toFixed(3)} ms CPU/file`);

        // The observer alone: CPU per announced file while a producer creates N files (workers stopped).
        await stopAll(workers);
        const observer = await startObserver();
        await client.del('step.bench.main');
        c0 = cpuOf([observer]);
        makeFiles(inbox, N, `${id}o`);
        while ((await client.llen('step.bench.main')) < N) await sleep(10);
        f.set('obsCpu', (cpuOf([observer]) - c0) / N);
        line('ours: observer + inotifywait alone (producer at disk speed)', `${f.get('obsCpu')?.toFixed(3)} ms CPU/file`);
        // …then 2 workers drain what the observer queued.
        workers = await startWorkers();
        c0 = cpuOf(workers);
        t0 = process.hrtime.bigint();
        await waitUntil(drained, 60_000);
        const sat = Number(process.hrtime.bigint() - t0) / 1e9;
        f.set('satRate', N / sat).set('satCpu', (cpuOf(workers) - c0) / N);
        f.set('outside', (f.get('obsCpu') ?? 0) + (f.get('satCpu') ?? 0));
        line('ours: 2 workers drain the observer\'s queue', `${f.get('satRate')?.toFixed(0)} files/s, ${f.get('satCpu')?.toFixed(3)} ms CPU/file`);
        line('  CPU per file outside the step at saturation (sum)', `${f.get('outside')?.toFixed(3)} ms -> ${(2000 / (f.get('outside') ?? 1)).toFixed(0)} files/s equivalent on 2 CPUs`);

        // Everything running, a producer creating N files as fast as the disk allows (files trickle in one by one).
        const ours = [observer, ...workers];
        c0 = cpuOf(ours);
        const o0 = cpuOf([observer]);
        t0 = process.hrtime.bigint();
        makeFiles(inbox, N, `${id}e`);
        const producedSec = Number(process.hrtime.bigint() - t0) / 1e9;
        await waitUntil(drained, 120_000);
        f.set('e2eRate', N / (Number(process.hrtime.bigint() - t0) / 1e9)).set('e2eCpu', (cpuOf(ours) - c0) / N).set('e2eObsCpu', (cpuOf([observer]) - o0) / N);
        line('ours: observer + 2 workers live, producer at disk speed', `${f.get('e2eRate')?.toFixed(0)} files/s (producer alone ${(N / producedSec).toFixed(0)} files/s while running)`);
        line('  CPU per file outside the step (files trickling in)', `${f.get('e2eCpu')?.toFixed(3)} ms (observer+inotifywait ${f.get('e2eObsCpu')?.toFixed(3)} ms)`);

      }

      // Idle: no wake-ups expected from observer, inotifywait or workers.
      if (PHASES.has('idle')) {
        if (workers.length === 0) workers = await startWorkers();
        const ours = [await startObserver(), ...workers];
        await sleep(500);
        const idlePids = allPids(ours);
        const s0 = idlePids.reduce((s, pid) => s + threadSwitches(pid), 0);
        const idle0 = cpuOf(ours);
        await sleep(3000);
        f.set('idleSwitches', (idlePids.reduce((s, pid) => s + threadSwitches(pid), 0) - s0) / 3).set('idleCpu', cpuOf(ours) - idle0);
        line('idle 3 s: context switches of all our processes/threads', `${f.get('idleSwitches')?.toFixed(1)}/s, CPU ${f.get('idleCpu')?.toFixed(0)} ms`);

      }

      // Latency at 200 files/s: from the producer's rename to the end of the worker's work on the file (its after()).
      if (PHASES.has('latency')) {
        await startObserver();
        await stopAll(workers);
        writeConfig('1');
        for (const rec of fs.readdirSync(recordDir)) fs.rmSync(path.join(recordDir, rec));
        workers = await startWorkers();
        makeFiles(inbox, WARMUP_FILES, `${id}w`);
        await waitUntil(drained, 60_000);
        await sleep(200);
        const loadBefore = os.loadavg()[0];
        const observer = await startObserver();
        let c0 = cpuOf([observer, ...workers]);
        let r0 = cpuMs(redisPid);
        await client.config('RESETSTAT');
        let sent = await paced(inbox, `${id}l`);
        await waitUntil(drained, 60_000);
        const perFile = commandsPerFile(await client.info('commandstats'), LATENCY_FILES);
        f.set('latCpu', (cpuOf([observer, ...workers]) - c0) / LATENCY_FILES).set('latRedisCpu', (cpuMs(redisPid) - r0) / LATENCY_FILES);
        await stopAll(workers);
        let lat = latencies(fs.readdirSync(recordDir).map((r) => path.join(recordDir, r)), sent);
        f.set('p50', pct(lat, 50)).set('p99', pct(lat, 99)).set('max', lat[lat.length - 1]);
        line(`ours: latency at ${LATENCY_RATE} files/s (${lat.length} files, load ${loadBefore.toFixed(2)})`, `p50 ${pct(lat, 50).toFixed(2)} ms, p90 ${pct(lat, 90).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms, max ${lat[lat.length - 1].toFixed(2)} ms`);
        line('  CPU per file at that rate: observer+inotifywait+workers (Redis)', `${f.get('latCpu')?.toFixed(3)} ms (${f.get('latRedisCpu')?.toFixed(3)} ms)`);
        line('  Redis commands per file at that rate (INFO commandstats)', perFile);

        // Baseline 3: the same latency through a bare chain (inotifywait → LPUSH → BRPOP → rename, no claim, tags, step).
        const bareObs = spawn(process.execPath, ['-e', BARE_OBSERVER, redis.socket, 'bare-lat', bareIn], { stdio: ['ignore', 'pipe', 'inherit'] });
        procs.push(bareObs);
        await new Promise<void>((resolve) => bareObs.stdout?.once('data', () => resolve()));
        const records = [0, 1].map((i) => path.join(base, `bare-record-${round}-${i}`));
        const bareLat = records.map((rec) => spawn(process.execPath, ['-e', BARE_CONSUMER, redis.socket, 'bare-lat', doneDir, rec], { stdio: 'inherit' }));
        procs.push(...bareLat);
        await sleep(300);
        makeFiles(bareIn, WARMUP_FILES, `${id}v`);
        await waitUntil(() => count(bareIn) === 0, 60_000);
        await sleep(200);
        c0 = cpuOf([bareObs, ...bareLat]);
        r0 = cpuMs(redisPid);
        sent = await paced(bareIn, `${id}k`);
        await waitUntil(() => count(bareIn) === 0, 60_000);
        f.set('bareLatCpu', (cpuOf([bareObs, ...bareLat]) - c0) / LATENCY_FILES).set('bareLatRedisCpu', (cpuMs(redisPid) - r0) / LATENCY_FILES);
        await client.lpush('bare-lat', 'STOP', 'STOP');
        // The consumers write their records when they read STOP: wait for them to exit on their own.
        await Promise.all(bareLat.map((c) => new Promise((r) => { if (c.exitCode !== null) r(null); else c.once('exit', r); })));
        await stopAll([bareObs]);
        lat = latencies(records, sent);
        f.set('bareP50', pct(lat, 50)).set('bareP99', pct(lat, 99));
        line(`baseline: bare chain latency at ${LATENCY_RATE} files/s (${lat.length} files)`, `p50 ${pct(lat, 50).toFixed(2)} ms, p90 ${pct(lat, 90).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms, max ${lat[lat.length - 1].toFixed(2)} ms`);
        line('  CPU per file at that rate: bare observer+inotifywait+consumers (Redis)', `${f.get('bareLatCpu')?.toFixed(3)} ms (${f.get('bareLatRedisCpu')?.toFixed(3)} ms)`);
        fs.rmSync(doneDir, { recursive: true });
        fs.mkdirSync(doneDir);
      }
      await stopAll(workers);
      f.set('load', os.loadavg()[0]);
    }
    if (observerProc) await stopAll([observerProc]);

    console.log(`\n== median [min–max] over ${ROUNDS} rounds (load average 1 min at the end of each round: ${rounds.map((r) => r.get('load')?.toFixed(2)).join(', ')})`);
    line('baseline: disk create+rename (1 producer)', summary(rounds, 'disk', 0, 'files/s'));
    line('baseline: bare BRPOP+rename, 2 consumers (drain)', `${summary(rounds, 'bareRate', 0, 'files/s')}, ${summary(rounds, 'bareCpu', 3, 'ms CPU/file')}`);
    line('ours: 2 workers drain (claim, tags, counters, traces)', `${summary(rounds, 'drainRate', 0, 'files/s')}, ${summary(rounds, 'drainCpu', 3, 'ms CPU/file')}`);
    line('ours: observer + inotifywait per announced file', summary(rounds, 'obsCpu', 3, 'ms CPU'));
    line('ours: 2 workers drain the observer\'s queue', `${summary(rounds, 'satRate', 0, 'files/s')}, ${summary(rounds, 'satCpu', 3, 'ms CPU/file')}`);
    line('ours: CPU per file outside the step at saturation', summary(rounds, 'outside', 3, 'ms'));
    line('ours: observer + 2 workers live, producer at disk speed', `${summary(rounds, 'e2eRate', 0, 'files/s')}, ${summary(rounds, 'e2eCpu', 3, 'ms CPU/file')}`);
    line('ours: idle', `${summary(rounds, 'idleSwitches', 1, 'switches/s')}, ${summary(rounds, 'idleCpu', 0, 'ms CPU in 3 s')}`);
    line(`ours: latency at ${LATENCY_RATE} files/s`, `p50 ${summary(rounds, 'p50', 2, 'ms')}, p99 ${summary(rounds, 'p99', 2, 'ms')}`);
    line(`  CPU per file at ${LATENCY_RATE} files/s (Redis apart)`, `${summary(rounds, 'latCpu', 3, 'ms')} (Redis ${summary(rounds, 'latRedisCpu', 3, 'ms')})`);
    line(`baseline: bare chain latency at ${LATENCY_RATE} files/s`, `p50 ${summary(rounds, 'bareP50', 2, 'ms')}, p99 ${summary(rounds, 'bareP99', 2, 'ms')}`);
    line(`  CPU per file at ${LATENCY_RATE} files/s (Redis apart)`, `${summary(rounds, 'bareLatCpu', 3, 'ms')} (Redis ${summary(rounds, 'bareLatRedisCpu', 3, 'ms')})`);
    console.log(`load average at the end: ${load()}`);
    console.log('targets (issue #4): >= 3,000 files/s with 2 workers, p99 <= 3 ms at 200 files/s, <= 0.3 ms CPU/file outside the step, no idle wake-ups');
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
