// Scale: throughput (burst) and latency at 200 files/s through one step with 1, 10 and 50 plugins of 2 steps running
// (start time and total RSS too); and 100,000 files waiting in one inbox at start-up: time to announce them all
// (the observer's rescan, poll_queue_limit = 0) and to process them, observer and Redis memory. Home on tmpfs
// (/dev/shm) so that the number of plugins, not the disk, is what varies. Baseline in the same run: 1 plugin.
// Prints figures; asserts nothing. Options: --quick, BENCH_ROUNDS, BENCH_PLUGINS (e.g. 1,10,50), BENCH_FILES, BENCH_BACKLOG.
import Redis from 'ioredis';
import { list, QUICK, ROUNDS, size } from './lib/options';
import { peakRssMb, rssMb } from './lib/proc';
import { latency, names, renameAll, renamePaced, writeStaged } from './lib/producer';
import { loadLine, machineLine, printSummary, Progress, type Row } from './lib/report';
import { BenchRuntime, fsType, type PluginSpec } from './lib/runtime';
import { Runs } from './lib/stats';
import { sleep, waitUntil } from './lib/wait';

const PLUGINS = list('BENCH_PLUGINS', [1, 10, 50], [1, 5]);
const N = size('BENCH_FILES', 10_000, 1_000);
const LAT_FILES = size('BENCH_LATENCY_FILES', 1_000, 200);
const BACKLOG = size('BENCH_BACKLOG', 100_000, 5_000);
const WARMUP = size('BENCH_WARMUP_FILES', 3_000, 300);
const SETTLE_MS = 300;

const progress = new Progress('scale');
const runs = new Runs();

/** `bench1` … `bench<p>`, each with steps a and b; the measured step bench1.a has 2 workers, every other 1. */
function plugins(p: number): PluginSpec[] {
  return Array.from({ length: p }, (_, i) => ({ name: `bench${i + 1}`, steps: [{ name: 'a', numprocesses: i === 0 ? 2 : 1 }, { name: 'b', numprocesses: 1 }] }));
}

async function withPlugins(p: number): Promise<void> {
  const rt = BenchRuntime.create({ storage: 'tmpfs', record: true, plugins: plugins(p) });
  try {
    progress.update(`${p} plugins: mfdata start (home on ${fsType(rt.base)})`);
    runs.add(`${p}:start`, await rt.start(300));
    const inbox = rt.inbox('bench1', 'a');
    const warm = names('warm', WARMUP);
    writeStaged(inbox, warm);
    renameAll(inbox, warm);
    await waitUntil('the warm-up files through the step', () => rt.drained('bench1', 'a'), 300_000);
    const sent = new Map<string, bigint>();
    for (let round = 1; round <= ROUNDS; round++) {
      progress.update(`${p} plugins, round ${round}/${ROUNDS}: burst of ${N}`);
      const burst = names(`b${round}-`, N);
      writeStaged(inbox, burst);
      await sleep(SETTLE_MS);
      const t0 = process.hrtime.bigint();
      renameAll(inbox, burst);
      await waitUntil(`${N} files through the step`, () => rt.drained('bench1', 'a'), 600_000);
      runs.add(`${p}:rate`, N / (Number(process.hrtime.bigint() - t0) / 1e9));
      progress.update(`${p} plugins, round ${round}/${ROUNDS}: ${LAT_FILES} files at 200 files/s`);
      const paced = names(`l${round}-`, LAT_FILES);
      writeStaged(inbox, paced);
      await sleep(SETTLE_MS);
      for (const [k, v] of await renamePaced(inbox, paced, 200)) sent.set(k, v);
      await waitUntil(`${LAT_FILES} files at 200 files/s`, () => rt.drained('bench1', 'a'), 120_000);
    }
    const procs = await rt.labelledPids();
    runs.add(`${p}:rss`, procs.reduce((s, x) => s + (rssMb(x.pid) ?? 0), 0));
    runs.add(`${p}:procs`, procs.length);
    progress.update(`${p} plugins: mfdata stop`);
    await rt.stop();
    const seen = rt.records();
    for (let round = 1; round <= ROUNDS; round++) {
      const l = latency(new Map([...sent].filter(([k]) => k.startsWith(`l${round}-`))), seen);
      runs.add(`${p}:p50`, l.p50);
      runs.add(`${p}:p99`, l.p99);
    }
  } finally {
    await rt.dispose();
  }
}

async function backlog(round: number): Promise<void> {
  const rt = BenchRuntime.create({ storage: 'tmpfs', plugins: plugins(1), mfdataIni: '[directory_observer]\npoll_queue_limit = 0\n' });
  try {
    const inbox = rt.inbox('bench1', 'a');
    progress.update(`backlog round ${round}/${ROUNDS}: writing ${BACKLOG} files`);
    const files = names('q', BACKLOG);
    writeStaged(inbox, files);
    renameAll(inbox, files);
    progress.update(`backlog round ${round}/${ROUNDS}: mfdata start with ${BACKLOG} files waiting`);
    const t0 = process.hrtime.bigint();
    const startMs = await rt.start(300);
    const redis = new Redis({ path: rt.home.redisSocket });
    try {
      const p = await rt.pids();
      let obsPeak = 0;
      await waitUntil('every waiting file announced', async () => {
        obsPeak = Math.max(obsPeak, ...p.observer.map((x) => peakRssMb(x) ?? 0));
        const [len, counted] = await Promise.all([redis.llen('step.bench1.a'), redis.get('counter.bench1.a')]);
        return len + Number(counted ?? 0) >= BACKLOG;
      }, 600_000, 50);
      runs.add('backlog:announced', Number(process.hrtime.bigint() - t0) / 1e6);
      await waitUntil('every waiting file processed', () => rt.drained('bench1', 'a'), 900_000, 50);
      runs.add('backlog:drained', Number(process.hrtime.bigint() - t0) / 1e6);
      runs.add('backlog:start', startMs);
      runs.add('backlog:obsPeak', Math.max(obsPeak, ...p.observer.map((x) => peakRssMb(x) ?? 0)));
      runs.add('backlog:workerPeak', Math.max(...p.workers.map((x) => peakRssMb(x) ?? 0)));
      const mem = await redis.info('memory');
      runs.add('backlog:redisPeak', Number(/used_memory_peak:(\d+)/.exec(mem)?.[1] ?? Number.NaN) / 1048576);
    } finally {
      redis.disconnect();
    }
    await rt.stop();
  } finally {
    await rt.dispose();
  }
}

async function main(): Promise<void> {
  console.log(`scale: ${machineLine()}`);
  console.log(`plugins ${PLUGINS.join(', ')} (2 steps each), bursts of ${N}, ${LAT_FILES} files at 200 files/s, backlog ${BACKLOG}, ${ROUNDS} rounds${QUICK ? ' (quick)' : ''}, load average at start ${loadLine()}`);
  try {
    for (const p of PLUGINS) await withPlugins(p);
    for (let round = 1; round <= ROUNDS; round++) await backlog(round);
  } finally {
    progress.done();
  }
  const rows: Row[] = [];
  const one = PLUGINS[0];
  for (const p of PLUGINS) {
    const base = (key: string): Row['baseline'] => (p === one ? undefined : { label: `${one} plugin${one > 1 ? 's' : ''}`, value: runs.get(`${one}:${key}`) });
    rows.push({ figure: `${p} plugin${p > 1 ? "s" : ""}: throughput, burst of ${N}`, unit: 'files/s', measured: runs.get(`${p}:rate`), baseline: base('rate'), ratio: p === one ? undefined : 'percent' });
    rows.push({ figure: `${p} plugin${p > 1 ? "s" : ""}: p50 at 200 files/s`, unit: 'ms', digits: 2, measured: runs.get(`${p}:p50`), baseline: base('p50'), ratio: p === one ? undefined : 'factor' });
    rows.push({ figure: `${p} plugin${p > 1 ? "s" : ""}: p99 at 200 files/s`, unit: 'ms', digits: 2, measured: runs.get(`${p}:p99`), baseline: base('p99'), ratio: p === one ? undefined : 'factor', target: { atMost: 3 } });
    rows.push({ figure: `${p} plugin${p > 1 ? "s" : ""}: \`mfdata start\` (${runs.get(`${p}:procs`)?.median ?? '?'} processes)`, unit: 'ms', measured: runs.get(`${p}:start`), baseline: base('start'), ratio: p === one ? undefined : 'factor' });
    rows.push({ figure: `${p} plugin${p > 1 ? "s" : ""}: RSS of all processes`, unit: 'MB', measured: runs.get(`${p}:rss`), baseline: base('rss'), ratio: p === one ? undefined : 'factor' });
  }
  rows.push({ figure: `${BACKLOG} files waiting: \`mfdata start\` returns`, unit: 'ms', measured: runs.get('backlog:start') });
  rows.push({ figure: `${BACKLOG} files waiting: all announced (rescan)`, unit: 'ms', measured: runs.get('backlog:announced') });
  rows.push({ figure: `${BACKLOG} files waiting: all processed (2 workers)`, unit: 'ms', measured: runs.get('backlog:drained') });
  rows.push({ figure: `${BACKLOG} files waiting: observer peak RSS`, unit: 'MB', digits: 1, measured: runs.get('backlog:obsPeak') });
  rows.push({ figure: `${BACKLOG} files waiting: worker peak RSS`, unit: 'MB', digits: 1, measured: runs.get('backlog:workerPeak') });
  rows.push({ figure: `${BACKLOG} files waiting: Redis used_memory_peak`, unit: 'MB', digits: 1, measured: runs.get('backlog:redisPeak') });
  printSummary(`scale (${ROUNDS} rounds, load average at the end ${loadLine()})`, rows, [
    'Times of the backlog run from `mfdata start` being spawned. The rescan runs with poll_queue_limit = 0; with the default (10,000) the rest waits for the next forced_poll.',
  ]);
}

main().catch((err: unknown) => {
  progress.done();
  console.error(err);
  process.exitCode = 1;
});
