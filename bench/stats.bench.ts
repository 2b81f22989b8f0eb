// What the step stats cost: per file in a worker (the recorder behind the metrics calls, plus the stat of the
// claimed file it needs), per flush, and per read for 200 steps (readStepStats for the views, readStepSeries).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { DISABLED_METRICS } from '../runtime/metrics/client';
import { METRIC } from '../runtime/metrics/format';
import { readStepSeries, readStepStats, StepSeriesReader, type StepRef } from '../runtime/stats/read';
import { StepStatsRecorder } from '../runtime/stats/recorder';
import { withStepStats } from '../runtime/stats/recording-metrics';
import { startTestRedis } from '../test/helpers/redis-server';

const FILES = Number(process.env.BENCH_FILES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const redis = await startTestRedis();
  const client = new Redis({ path: redis.socket });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfstats-bench-'));
  try {
    await client.ping();
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, 'x'.repeat(1000));
    // Per file: what the worker calls for one file (claimed + bytes + timer), as without a sink.
    const recorder = new StepStatsRecorder(client, 'p', 'main', { flushMs: 1000 });
    const metrics = withStepStats(DISABLED_METRICS, recorder);
    const perFile = (withStat: boolean): number => {
      const t0 = performance.now();
      for (let i = 0; i < FILES; i++) {
        metrics.counter(METRIC.processedFiles, 1);
        metrics.counter(METRIC.processedBytes, withStat ? fs.statSync(file).size : 1000);
        metrics.timer(METRIC.fileTimer, 0.05 + (i % 1000) * 0.01);
      }
      return ((performance.now() - t0) * 1000) / FILES;
    };
    perFile(false);
    const recordUs = perFile(false);
    const statUs = perFile(true) - recordUs;
    const f0 = performance.now();
    await recorder.flush();
    const flushMs = performance.now() - f0;
    console.log(`per file: recorder ${recordUs.toFixed(3)} µs, stat of the claimed file ${statUs.toFixed(3)} µs (${FILES} files)`);
    console.log(`one flush (one pipelined round trip, ${FILES * 3} calls aggregated): ${flushMs.toFixed(2)} ms`);

    // Reads for 200 steps with 15 minutes of buckets each.
    const steps: StepRef[] = [];
    for (let p = 0; p < 50; p++) for (let s = 0; s < 4; s++) steps.push({ plugin: `plugin${p}`, step: `step${s}` });
    const now = Date.now();
    const fill = client.pipeline();
    for (const { plugin, step } of steps) {
      for (let b = 0; b < 90; b++) {
        const key = `stats@${plugin}/${step}@${Math.floor(now / 10_000) * 10 - b * 10}`;
        fill.hset(key, 'processed', 100, 'failed', 1, 'bytes', 100_000, 'timed', 100, 'ms_sum', 512.5, 'h60', 50, 'h62', 45, 'h80', 5).expire(key, 960);
      }
    }
    await fill.exec();
    const statTimes: number[] = [];
    const seriesTimes: number[] = [];
    const refreshTimes: number[] = [];
    // The metrics panel's reader, already past its first read: a refresh 5 s later reads the unsettled buckets only.
    const reader = new StepSeriesReader();
    await reader.read(client, steps, {}, now);
    for (let r = 0; r < ROUNDS; r++) {
      let t = performance.now();
      await readStepStats(client, steps);
      statTimes.push(performance.now() - t);
      t = performance.now();
      await readStepSeries(client, steps, {}, now);
      seriesTimes.push(performance.now() - t);
      t = performance.now();
      await reader.read(client, steps, {}, now + 5000);
      refreshTimes.push(performance.now() - t);
    }
    const seriesMedian = [...seriesTimes].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
    const refreshMedian = [...refreshTimes].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
    console.log(`readStepStats, 200 steps (one pipeline: GET, 200 LLEN, 1,400 HGETALL): ${summary(statTimes)}`);
    console.log(`readStepSeries, 200 steps x 15 min of 10 s points (one pipeline of 18,000 HGETALL; the baseline): ${summary(seriesTimes)}`);
    console.log(`StepSeriesReader refresh, same 200 steps 5 s later (settled buckets kept, ${reader.cachedBuckets.toLocaleString('en-US')} of them): ${summary(refreshTimes)} (${(seriesMedian / refreshMedian).toFixed(1)}x faster than the whole read)`);
  } finally {
    client.disconnect();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
