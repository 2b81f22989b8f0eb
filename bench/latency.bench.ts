// Latency at a steady 200 and 1,000 files/s: p50, p95, p99 from the producer's rename into the inbox (its `.t` file
// written beforehand) to the start of the step's process() in a worker, under the real `mfdata start` with 2 workers
// (home on ext4 /tmp), after a warm-up at full speed. Baseline in the same run, rounds interleaved: the bare chain
// inotifywait → LPUSH → BRPOP → rename (2 consumers), to the end of the consumer's rename. CPU per file of each.
// Prints figures; asserts nothing. Options: --quick, BENCH_ROUNDS, BENCH_SECONDS (per rate and round), BENCH_RATES;
// BENCH_STAGES=1 also prints where our time went, stage by stage (bench/lib/stages.ts; the stamps cost ~0.05 ms).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BareLoop } from './lib/bare';
import { list, QUICK, ROUNDS, size } from './lib/options';
import { groupCpuMs } from './lib/proc';
import { latency, names, readRecordFiles, renameAll, renamePaced, writeStaged } from './lib/producer';
import { loadLine, machineLine, printSummary, Progress, type Row } from './lib/report';
import { BenchRuntime, fsType } from './lib/runtime';
import { Runs } from './lib/stats';
import { isEmptyDir, sleep, waitUntil } from './lib/wait';
import { stageReport } from './lib/stages';

const RATES = list('BENCH_RATES', [200, 1000], [200, 1000]);
const SECONDS = size('BENCH_SECONDS', 5, 1);
const WARMUP = size('BENCH_WARMUP_FILES', 3000, 500);
const WORKERS = 2;
const SETTLE_MS = 300;
const STAGES = process.env.BENCH_STAGES === '1';

const progress = new Progress('latency');
const runs = new Runs();

interface Run {
  key: string;
  sent: Map<string, bigint>;
}

async function main(): Promise<void> {
  console.log(`latency: ${machineLine()}`);
  console.log(`rates ${RATES.join(', ')} files/s for ${SECONDS} s each, ${ROUNDS} rounds${QUICK ? ' (quick)' : ''}, warm-up ${WARMUP} files, load average at start ${loadLine()}`);
  const stampsDir = fs.mkdtempSync('/tmp/mfdata-bench-stamps-');
  const rt = BenchRuntime.create({
    storage: 'disk', record: true, plugins: [{ name: 'bench', steps: [{ name: 'main', numprocesses: WORKERS }] }],
    env: STAGES ? { MFDATA_LATENCY_STAMPS: stampsDir } : undefined,
  });
  const stages: string[] = [];
  const bare = await BareLoop.create(rt.base);
  const ours: Run[] = [];
  const bares: Run[] = [];
  const bareRecords = path.join(rt.base, 'bare-record');
  try {
    progress.update(`mfdata start (home on ${fsType(rt.base)}), bare chain`);
    await rt.start();
    await bare.start(WORKERS, bareRecords);
    const inbox = rt.inbox('bench', 'main');
    progress.update(`warm-up: ${WARMUP} files at full speed through each`);
    const warm = names('warm', WARMUP);
    writeStaged(inbox, warm);
    writeStaged(bare.dir, warm);
    renameAll(inbox, warm);
    renameAll(bare.dir, warm);
    await waitUntil('the warm-up files through the step', () => rt.drained('bench', 'main'), 300_000);
    await waitUntil('the warm-up files through the bare chain', () => isEmptyDir(bare.dir), 300_000);
    const p = await rt.pids();
    const oursPids = [p.supervisor, ...p.redis, ...p.observer, ...p.workers, ...p.others];
    const b = bare.pids();
    const barePids = [...b.observer, ...b.consumers, ...b.redis];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const rate of RATES) {
        const n = Math.max(50, Math.round(rate * SECONDS));
        const list0 = names(`r${round}x${rate}-`, n);
        for (const [who, dir, pids, out, done] of [
          ['ours', inbox, oursPids, ours, (): boolean => rt.drained('bench', 'main')],
          ['bare', bare.dir, barePids, bares, (): boolean => isEmptyDir(bare.dir)],
        ] as const) {
          writeStaged(dir, list0);
          await sleep(SETTLE_MS);
          const c0 = groupCpuMs(pids);
          const sent = await renamePaced(dir, list0, rate, (i) => progress.update(`round ${round}/${ROUNDS}, ${who} at ${rate} files/s: ${i}/${n}`));
          await waitUntil(`${who}: ${n} files at ${rate} files/s`, done, 120_000);
          runs.add(`${who}:${rate}:cpu`, (groupCpuMs(pids) - c0) / n);
          out.push({ key: `${who}:${rate}`, sent });
        }
      }
    }
    progress.update('stopping (the workers write their records)');
    await rt.stop();
    await bare.stop();
    if (STAGES) {
      for (const rate of RATES) {
        const sent = new Map(ours.filter((r) => r.key === `ours:${rate}`).flatMap((r) => [...r.sent]));
        stages.push('', `stages at ${rate} files/s, ours (${sent.size} files):`, '', ...stageReport(sent, stampsDir));
      }
    }
    const oursSeen = rt.records();
    const bareSeen = readRecordFiles(Array.from({ length: WORKERS }, (_, i) => `${bareRecords}-${i}`));
    for (const [list1, seen] of [[ours, oursSeen], [bares, bareSeen]] as const) {
      for (const r of list1) {
        const l = latency(r.sent, seen);
        if (l.count < r.sent.size) console.log(`warning: ${r.key}: ${r.sent.size - l.count} of ${r.sent.size} files have no record`);
        runs.add(`${r.key}:p50`, l.p50);
        runs.add(`${r.key}:p95`, l.p95);
        runs.add(`${r.key}:p99`, l.p99);
        runs.add(`${r.key}:max`, l.max);
      }
    }
  } finally {
    progress.done();
    await bare.dispose();
    await rt.dispose();
    fs.rmSync(bareRecords, { force: true });
    fs.rmSync(stampsDir, { recursive: true, force: true });
  }
  const rows: Row[] = [];
  for (const rate of RATES) {
    for (const q of ['p50', 'p95', 'p99', 'max'] as const) {
      rows.push({
        figure: `${q} at ${rate} files/s, rename → process() start`, unit: 'ms', digits: 2, measured: runs.get(`ours:${rate}:${q}`),
        baseline: { label: 'bare chain', value: runs.get(`bare:${rate}:${q}`) }, ratio: 'factor',
        target: rate === 200 && q === 'p99' ? { atMost: 3 } : undefined,
      });
    }
    rows.push({
      figure: `CPU per file at ${rate} files/s, all processes`, unit: 'ms', digits: 3, measured: runs.get(`ours:${rate}:cpu`),
      baseline: { label: 'bare chain', value: runs.get(`bare:${rate}:cpu`) }, ratio: 'factor',
    });
  }
  printSummary(`latency (2 workers, ${ROUNDS} rounds of ${SECONDS} s per rate, load average at the end ${loadLine()})`, rows, [
    'Each round\'s percentile is one run; the table gives the median [min–max] of those over the rounds. The bare chain stops its clock after its rename (its "claim").',
  ]);
  if (stages.length > 0) console.log(stages.join('\n'));
}

main().catch((err: unknown) => {
  progress.done();
  console.error(err);
  process.exitCode = 1;
});
