// Throughput: N files of 1 KiB written as `.t`, then renamed into a step inbox at once, through a no-op TypeScript step
// with 1, 2 and 4 workers and full semantics (claim, tags, counters, traces, delete), under the real `mfdata start`;
// home on tmpfs (/dev/shm: the pipeline is measured, not the disk) and on ext4 /tmp. Baselines in the same run: the
// bare rename rate, and a bare inotifywait → LPUSH → BRPOP → rename loop with as many consumers as workers.
// Prints figures; asserts nothing. Options: --quick, BENCH_FILES, BENCH_ROUNDS, BENCH_WORKERS (e.g. 1,2,4),
// BENCH_STORAGES (tmpfs,disk), BENCH_JOURNEYS=0 (`[journeys] enabled = 0`: the cost of journey recording by A/B).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BareLoop } from './lib/bare';
import { list, QUICK, ROUNDS, size } from './lib/options';
import { groupCpuMs } from './lib/proc';
import { names, renameAll, writeStaged } from './lib/producer';
import { loadLine, machineLine, printSummary, Progress, type Row } from './lib/report';
import { baseDir, BenchRuntime, fsType, type Storage } from './lib/runtime';
import { Runs } from './lib/stats';
import { sleep, waitUntil } from './lib/wait';

const N = size('BENCH_FILES', 20_000, 2_000);
const WORKERS = list('BENCH_WORKERS', [1, 2, 4], [2]);
const STORAGES = (process.env.BENCH_STORAGES ?? 'tmpfs,disk').split(',').filter((s): s is Storage => s === 'tmpfs' || s === 'disk');
const JOURNEYS_OFF = process.env.BENCH_JOURNEYS === '0';
/** The disk case runs with 2 workers only: the disk, not the worker count, is what it shows. */
const DISK_WORKERS = [2];
/** After staging `.t` files, the observer's (ignored) events settle before the clock starts. */
const SETTLE_MS = 300;

const progress = new Progress('throughput');
const runs = new Runs();

async function measureBareRename(base: string, key: string): Promise<void> {
  const dir = path.join(base, 'raw');
  const list0 = names('raw', N);
  writeStaged(dir, list0);
  for (let round = 1; round <= ROUNDS; round++) {
    runs.add(key, renameAll(dir, list0));
    for (const n of list0) fs.renameSync(path.join(dir, n), path.join(dir, `${n}.t`));
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

async function measureBareLoop(bare: BareLoop, k: number, key: string): Promise<void> {
  await bare.start(k);
  try {
    const list0 = names('bare', N);
    let repeats = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      await sleep(SETTLE_MS);
      const pids = bare.pids();
      const all = [...pids.observer, ...pids.consumers, ...pids.redis];
      const c0 = groupCpuMs(all);
      const t0 = process.hrtime.bigint();
      renameAll(bare.dir, list0);
      const { overflowed } = await bare.drain(300_000);
      if (overflowed > 0) {
        bare.restage();
        if (++repeats > ROUNDS) throw new Error(`benchmark: the bare loop's inotify queue overflowed in ${repeats} rounds`);
        progress.update(`${key} round ${round}/${ROUNDS}: inotify queue overflowed, ${overflowed} files missed (the bare loop has no rescan): round repeated`);
        round--;
        continue;
      }
      const rate = N / (Number(process.hrtime.bigint() - t0) / 1e9);
      runs.add(`${key}:rate`, rate);
      runs.add(`${key}:cpu`, (groupCpuMs(all) - c0) / N);
      progress.update(`${key} round ${round}/${ROUNDS}: ${rate.toFixed(0)} files/s`);
      bare.restage();
    }
  } finally {
    await bare.stop();
  }
}

async function measureOurs(storage: Storage, k: number, key: string): Promise<void> {
  const rt = BenchRuntime.create({
    storage, plugins: [{ name: 'bench', steps: [{ name: 'main', numprocesses: k }] }], mfdataIni: JOURNEYS_OFF ? '[journeys]\nenabled = 0\n' : undefined,
  });
  try {
    progress.update(`${key}: mfdata start (home on ${fsType(rt.base)})`);
    await rt.start();
    const inbox = rt.inbox('bench', 'main');
    for (let round = 1; round <= ROUNDS; round++) {
      const list0 = names(`r${round}-`, N);
      progress.update(`${key} round ${round}/${ROUNDS}: writing ${N} .t files`);
      writeStaged(inbox, list0);
      await sleep(SETTLE_MS);
      const p = await rt.pids();
      const all = [p.supervisor, ...p.redis, ...p.observer, ...p.workers, ...p.others];
      const c0 = groupCpuMs(all);
      const t0 = process.hrtime.bigint();
      renameAll(inbox, list0);
      await waitUntil(`${N} files through the step (${key})`, () => rt.drained('bench', 'main'), 600_000);
      const rate = N / (Number(process.hrtime.bigint() - t0) / 1e9);
      runs.add(`${key}:rate`, rate);
      runs.add(`${key}:cpu`, (groupCpuMs(all) - c0) / N);
      progress.update(`${key} round ${round}/${ROUNDS}: ${rate.toFixed(0)} files/s`);
    }
  } finally {
    await rt.stop().catch(() => undefined);
    await rt.dispose();
  }
}

/** Ratio of the medians, ours / bare loop, in %. */
function addRatio(ours: string, bare: string, key: string): void {
  const o = runs.get(`${ours}:rate`);
  const b = runs.get(`${bare}:rate`);
  if (o && b) runs.add(key, (100 * o.median) / b.median);
}

async function main(): Promise<void> {
  console.log(`throughput: ${machineLine()}`);
  console.log(`${N} files of 1 KiB, ${ROUNDS} rounds${QUICK ? ' (quick)' : ''}${JOURNEYS_OFF ? ', journeys off' : ''}, load average at start ${loadLine()}`);
  const rows: Row[] = [];
  for (const storage of STORAGES) {
    const base = baseDir(storage);
    const bare = await BareLoop.create(base);
    try {
      progress.update(`${storage}: bare rename rate`);
      await measureBareRename(base, `rename:${storage}`);
      writeStaged(bare.dir, names('bare', N));
      rows.push({ figure: `bare rename rate, ${storage} (${fsType(base)})`, unit: 'files/s', measured: runs.get(`rename:${storage}`) });
      for (const k of storage === 'tmpfs' ? WORKERS : DISK_WORKERS) {
        await measureBareLoop(bare, k, `bare:${storage}:${k}`);
        await measureOurs(storage, k, `ours:${storage}:${k}`);
        addRatio(`ours:${storage}:${k}`, `bare:${storage}:${k}`, `ratio:${storage}:${k}`);
        const baseline = { label: `bare loop, ${k} consumer${k > 1 ? 's' : ''}`, value: runs.get(`bare:${storage}:${k}:rate`) };
        rows.push({
          figure: `${k} worker${k > 1 ? 's' : ''}, ${storage}`, unit: 'files/s', measured: runs.get(`ours:${storage}:${k}:rate`), baseline, ratio: 'percent',
          target: storage === 'tmpfs' && k === 2 ? { atLeast: 3000 } : undefined,
        });
        rows.push({
          figure: `  CPU per file, all processes (${k} worker${k > 1 ? 's' : ''}, ${storage})`, unit: 'ms', digits: 3, measured: runs.get(`ours:${storage}:${k}:cpu`),
          baseline: { label: 'bare loop', value: runs.get(`bare:${storage}:${k}:cpu`) }, ratio: 'factor',
        });
        if (k === 2) rows.push({ figure: `2 workers / bare loop, ${storage}`, unit: '%', measured: runs.get(`ratio:${storage}:2`), target: storage === 'tmpfs' ? { atLeast: 70 } : undefined });
      }
    } finally {
      await bare.dispose();
      fs.rmSync(base, { recursive: true, force: true });
    }
  }
  progress.done();
  printSummary(`throughput (${N} files, ${ROUNDS} rounds, load average at the end ${loadLine()})`, rows, [
    'Time from the first rename into the inbox to the last file deleted (ours) or renamed out (bare loop); the renames are part of it.',
  ]);
}

main().catch((err: unknown) => {
  progress.done();
  console.error(err);
  process.exitCode = 1;
});
