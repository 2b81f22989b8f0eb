// Cost of the runtime under the real `mfdata start` (2 workers, home on ext4 /tmp): CPU per file by process (observer
// with its inotifywait, workers, redis, supervisor, the rest) in a burst and at 200 files/s; idle CPU, wake-ups and RSS
// of each process; worker start to its first process(); `mfdata start` to every watcher up; `mfdata stop` to nothing
// left. Baselines in the same run: the bare loop (burst CPU per file), a bare node process (start time, idle RSS).
// Prints figures; asserts nothing. Options: --quick, BENCH_ROUNDS, BENCH_FILES, BENCH_IDLE_SECONDS.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { controlRequest } from '../runtime/supervisor/control-client';
import { BareLoop } from './lib/bare';
import { QUICK, ROUNDS, size } from './lib/options';
import { cpuMs, groupCpuMs, rssMb, threadSwitches } from './lib/proc';
import { names, renameAll, renamePaced, writeStaged } from './lib/producer';
import { loadLine, machineLine, printSummary, Progress, type Row } from './lib/report';
import { BenchRuntime, fsType, type RuntimePids } from './lib/runtime';
import { Runs } from './lib/stats';
import { isEmptyDir, sleep, waitUntil } from './lib/wait';

const N = size('BENCH_FILES', 10_000, 1_000);
const PACED = size('BENCH_PACED_FILES', 1_000, 200);
const IDLE_S = size('BENCH_IDLE_SECONDS', 30, 3);
const SETTLE_MS = 300;
const ROLES = ['observer', 'workers', 'redis', 'supervisor', 'others'] as const;

const progress = new Progress('cost');
const runs = new Runs();

function byRole(p: RuntimePids): Record<(typeof ROLES)[number], number[]> {
  return { observer: p.observer, workers: p.workers, redis: p.redis, supervisor: [p.supervisor], others: p.others };
}

/** Time from spawn to the first line a bare node process runs (its pre-main start-up), in ms. */
function bareNodeStart(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-e', 'process.stdout.write(String(process.hrtime.bigint()))'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('close', (code) => (code === 0 ? resolve(Number(BigInt(out) - t0) / 1e6) : reject(new Error(`benchmark: bare node exited ${code}`))));
  });
}

/** RSS of an idle bare node process (what any Node worker starts from), in MB. */
async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30); process.stdout.write("up")'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout.once('data', r));
  await sleep(500);
  const rss = rssMb(child.pid as number) ?? Number.NaN;
  child.kill('SIGKILL');
  return rss;
}

async function perFile(rt: BenchRuntime, rate: number | undefined, n: number, tag: string): Promise<void> {
  const inbox = rt.inbox('bench', 'main');
  const roles = byRole(await rt.pids());
  const list0 = names(tag, n);
  writeStaged(inbox, list0);
  await sleep(SETTLE_MS);
  const c0 = Object.fromEntries(ROLES.map((r) => [r, groupCpuMs(roles[r])]));
  if (rate === undefined) renameAll(inbox, list0);
  else await renamePaced(inbox, list0, rate);
  await waitUntil(`${n} files through the step`, () => rt.drained('bench', 'main'), 300_000);
  for (const r of ROLES) runs.add(`${rate ?? 'burst'}:${r}`, (groupCpuMs(roles[r]) - c0[r]) / n);
}

async function bareBurst(bare: BareLoop, round: number): Promise<void> {
  const list0 = names(`b${round}-`, N);
  writeStaged(bare.dir, list0);
  await sleep(SETTLE_MS);
  const p = bare.pids();
  const groups = { observer: p.observer, workers: p.consumers, redis: p.redis };
  const c0 = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, groupCpuMs(v)]));
  renameAll(bare.dir, list0);
  await waitUntil('the bare loop to drain', () => isEmptyDir(bare.dir), 300_000);
  for (const [k, v] of Object.entries(groups)) runs.add(`bare:${k}`, (groupCpuMs(v) - c0[k]) / N);
  for (const f of fs.readdirSync(bare.doneDir)) fs.rmSync(path.join(bare.doneDir, f));
}

/** Idle: sub-windows of the idle time; per process CPU, wake-ups per second and RSS at the end. */
async function idle(rt: BenchRuntime): Promise<Map<string, string>> {
  const procs = await rt.labelledPids();
  const kinds = new Map(procs.map((p) => [p.label, p.kind]));
  await sleep(2000);
  const windowMs = (IDLE_S * 1000) / ROUNDS;
  for (let w = 1; w <= ROUNDS; w++) {
    progress.update(`idle window ${w}/${ROUNDS} (${(windowMs / 1000).toFixed(0)} s)`);
    const s0 = procs.map((p) => [threadSwitches(p.pid), cpuMs(p.pid)]);
    await sleep(windowMs);
    procs.forEach((p, i) => {
      runs.add(`idle:${p.label}:wake`, (threadSwitches(p.pid) - s0[i][0]) / (windowMs / 1000));
      runs.add(`idle:${p.label}:cpu`, (cpuMs(p.pid) - s0[i][1]) / (windowMs / 1000));
      runs.add(`idle:${p.label}:rss`, rssMb(p.pid) ?? Number.NaN);
    });
  }
  return kinds;
}

async function workerStart(rt: BenchRuntime, round: number): Promise<void> {
  await controlRequest(rt.home.supervisorSocket, { cmd: 'stop', watcher: 'step.bench.main' });
  await waitUntil('the step watcher to stop', async () => (await rt.status()).watchers.find((w) => w.name === 'step.bench.main')?.processes.length === 0, 60_000, 20);
  const inbox = rt.inbox('bench', 'main');
  writeStaged(inbox, [`ws${round}`]);
  renameAll(inbox, [`ws${round}`]);
  await sleep(SETTLE_MS);
  rt.clearRecords();
  const t0 = process.hrtime.bigint();
  await controlRequest(rt.home.supervisorSocket, { cmd: 'start', watcher: 'step.bench.main' });
  const firsts = (): string[] => fs.readdirSync(rt.recordDir).filter((n) => n.startsWith('first-') && !n.endsWith('.t'));
  await waitUntil('a started worker\'s first process()', () => firsts().length > 0, 60_000, 2);
  const at = firsts().map((n) => BigInt(fs.readFileSync(path.join(rt.recordDir, n), 'utf8'))).reduce((a, b) => (a < b ? a : b));
  runs.add('workerStart', Number(at - t0) / 1e6);
  runs.add('bareNode', await bareNodeStart());
  await waitUntil('the step watcher to be running', async () => (await rt.status()).watchers.find((w) => w.name === 'step.bench.main')?.state === 'running', 60_000, 20);
  await waitUntil('the probe file processed', () => rt.drained('bench', 'main'), 60_000);
}

async function main(): Promise<void> {
  console.log(`cost: ${machineLine()}`);
  console.log(`${N} files in bursts, ${PACED} at 200 files/s, idle ${IDLE_S} s, ${ROUNDS} rounds${QUICK ? ' (quick)' : ''}, load average at start ${loadLine()}`);
  const rt = BenchRuntime.create({ storage: 'disk', plugins: [{ name: 'bench', steps: [{ name: 'main', numprocesses: 2 }] }] });
  const bare = await BareLoop.create(rt.base);
  let kinds = new Map<string, string>();
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      progress.update(`round ${round}/${ROUNDS}: mfdata start (home on ${fsType(rt.base)})`);
      runs.add('start', await rt.start());
      progress.update(`round ${round}/${ROUNDS}: worker start to first process()`);
      await workerStart(rt, round);
      progress.update(`round ${round}/${ROUNDS}: CPU per file, burst of ${N}`);
      await perFile(rt, undefined, N, `c${round}-`);
      progress.update(`round ${round}/${ROUNDS}: CPU per file, ${PACED} files at 200 files/s`);
      await perFile(rt, 200, PACED, `p${round}-`);
      if (round === ROUNDS) kinds = await idle(rt);
      progress.update(`round ${round}/${ROUNDS}: mfdata stop`);
      const stopped = await rt.stop();
      runs.add('stopCli', stopped.cliMs);
      runs.add('stopGone', stopped.goneMs);
    }
    progress.update('bare loop: CPU per file');
    await bare.start(2);
    for (let round = 1; round <= ROUNDS; round++) await bareBurst(bare, round);
    await bare.stop();
    for (let round = 1; round <= ROUNDS; round++) runs.add('bareRss', await bareNodeRss());
  } finally {
    progress.done();
    await bare.dispose();
    await rt.dispose();
  }
  const rows: Row[] = [];
  const bareRole: Record<string, string> = { observer: 'observer', workers: 'workers', redis: 'redis' };
  for (const rate of ['burst', '200'] as const) {
    for (const r of ROLES) {
      rows.push({
        figure: `CPU per file, ${r}${r === 'observer' ? ' + inotifywait' : ''} (${rate === 'burst' ? `burst of ${N}` : '200 files/s'})`, unit: 'ms', digits: 3,
        measured: runs.get(`${rate}:${r}`),
        ...(rate === 'burst' && bareRole[r] ? { baseline: { label: `bare loop ${r === 'workers' ? 'consumers' : r}`, value: runs.get(`bare:${bareRole[r]}`) }, ratio: 'factor' as const } : {}),
      });
    }
  }
  const bareRss = { label: 'idle bare node', value: runs.get('bareRss') };
  for (const [label, kind] of kinds) {
    const ours = kind !== 'redis';
    rows.push({ figure: `idle wake-ups, ${label}`, unit: '/s', digits: 2, measured: runs.get(`idle:${label}:wake`), target: ours ? { atMost: 0.2 } : undefined });
    rows.push({ figure: `idle CPU, ${label}`, unit: 'ms/s', digits: 2, measured: runs.get(`idle:${label}:cpu`) });
    rows.push({
      figure: `RSS, ${label}`, unit: 'MB', digits: 1, measured: runs.get(`idle:${label}:rss`),
      ...(kind === 'step' ? { target: { atMost: 45 }, baseline: bareRss, ratio: 'factor' as const } : {}),
    });
  }
  rows.push({ figure: 'worker start → first process()', unit: 'ms', digits: 0, measured: runs.get('workerStart'), target: { atMost: 150 }, baseline: { label: 'bare node start', value: runs.get('bareNode') }, ratio: 'factor' });
  rows.push({ figure: '`mfdata start` → every watcher up', unit: 'ms', digits: 0, measured: runs.get('start'), target: { atMost: 1500 }, baseline: { label: 'bare node start', value: runs.get('bareNode') }, ratio: 'factor' });
  rows.push({ figure: '`mfdata stop` → command returned', unit: 'ms', digits: 0, measured: runs.get('stopCli') });
  rows.push({ figure: '`mfdata stop` → no process left', unit: 'ms', digits: 0, measured: runs.get('stopGone') });
  printSummary(`cost (2 workers, ${ROUNDS} rounds, load average at the end ${loadLine()})`, rows, [
    `Idle: ${IDLE_S} s after the last file, in ${ROUNDS} windows; wake-ups are the context switches of all the process's threads (redis-server wakes 10 times a second by design: hz 10).`,
  ]);
}

main().catch((err: unknown) => {
  progress.done();
  console.error(err);
  process.exitCode = 1;
});
