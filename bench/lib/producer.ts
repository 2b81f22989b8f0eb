// The producer side of the benchmarks: 1 KiB files written as `name.t`, then renamed to `name` in the watched
// directory (all at once, or at a steady rate), and latencies from those renames to times recorded downstream.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { percentile } from './stats';
import { sleep } from './wait';

const PAYLOAD = Buffer.alloc(1024, 'x');

export function names(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

/** Writes `<name>.t` (1 KiB) for each name: ignored by the observer until renamed. */
export function writeStaged(dir: string, list: readonly string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const n of list) fs.writeFileSync(path.join(dir, `${n}.t`), PAYLOAD);
}

/** Renames every `<name>.t` to `<name>` as fast as one process can; resolves with the files/s of the renames alone. */
export function renameAll(dir: string, list: readonly string[]): number {
  const t0 = process.hrtime.bigint();
  for (const n of list) fs.renameSync(path.join(dir, `${n}.t`), path.join(dir, n));
  return list.length / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Renames `<name>.t` to `<name>` at `rate` files/s; resolves with each file's time (hrtime) just after its rename. */
export async function renamePaced(dir: string, list: readonly string[], rate: number, onProgress?: (done: number) => void): Promise<Map<string, bigint>> {
  const sent = new Map<string, bigint>();
  const start = process.hrtime.bigint();
  for (let i = 0; i < list.length; i++) {
    const due = start + BigInt(Math.round((i * 1e9) / rate));
    // Sleep until about 1 ms before the due time, then spin: timers alone would bunch the renames.
    for (let now = process.hrtime.bigint(); now < due; now = process.hrtime.bigint()) {
      const ms = Number(due - now) / 1e6;
      if (ms > 1.5) await sleep(ms - 1);
    }
    fs.renameSync(path.join(dir, `${list[i]}.t`), path.join(dir, list[i]));
    sent.set(list[i], process.hrtime.bigint());
    if (onProgress && i % 500 === 0) onProgress(i);
  }
  return sent;
}

/** Reads `<name> <hrtime>` lines written by workers or bare consumers; by name. Missing files read as empty. */
export function readRecordFiles(files: readonly string[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const f of files) {
    if (!fs.existsSync(f)) continue;
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      const [name, at] = line.split(' ');
      if (name && at) out.set(name, BigInt(at));
    }
  }
  return out;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

/** Latencies in ms from each sent time to the time recorded downstream for the same name. */
export function latency(sent: ReadonlyMap<string, bigint>, seen: ReadonlyMap<string, bigint>): Latency {
  const ms: number[] = [];
  for (const [name, t] of sent) {
    const at = seen.get(name);
    if (at !== undefined) ms.push(Number(at - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: ms[ms.length - 1] ?? Number.NaN, count: ms.length };
}
