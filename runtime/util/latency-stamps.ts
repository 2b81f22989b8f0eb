// Opt-in timestamps of each file at each stage of the data path, for bench/latency.bench.ts's stage breakdown.
//
// On only when MFDATA_LATENCY_STAMPS names a directory (BENCH_STAGES=1 sets it): each call site tests `stampsOn`
// first, so off it costs one branch per stage. Times are process.hrtime (CLOCK_MONOTONIC, shared by every process of
// the host), so stamps of the observer and of the workers compare with each other and with the producer's renames.
// Each process writes `<dir>/stamps-<pid>` when it exits: `<name>\t<stage>\t<ns>` lines, and `\tgc\t<ns>\t<duration ns>`
// for each V8 garbage collection (what lands inside a file's path is a latency tail).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';

const dir = process.env.MFDATA_LATENCY_STAMPS ?? '';
export const stampsOn = dir !== '';
const lines: string[] = [];

/** Notes that file `name` reached `stage` (now, or at `at`). */
export function stamp(stage: string, name: string, at: bigint = process.hrtime.bigint()): void {
  lines.push(`${name}\t${stage}\t${at}`);
}

if (stampsOn) {
  const baseNs = process.hrtime.bigint();
  const baseMs = performance.now();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) lines.push(`\tgc\t${baseNs + BigInt(Math.round((e.startTime - baseMs) * 1e6))}\t${Math.round(e.duration * 1e6)}`);
  }).observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    try {
      fs.writeFileSync(path.join(dir, `stamps-${process.pid}`), lines.join('\n'));
    } catch {
      // A measurement aid: a missing file shows in the report as stages without stamps.
    }
  });
}
