// process_timeout for steps that block the event loop: a watchdog thread kills the worker when a file takes
// far longer than allowed. (An async step is timed out in the main thread; a synchronous loop never yields.)
import type { Worker } from 'node:worker_threads';
import { lazyBuiltins } from '../util/lazy-builtins';

/**
 * Runs in the thread. Int32 slot 0: file generation; slot 1: 1 while a file is being processed; slot 2: 1 while the
 * thread sleeps with no file to time; Float64 at byte 16: when the current file started (Date.now()); bytes 24…: the
 * claim uid of that file, written to workerData.culpritFile before the kill (recovery then blames that file alone).
 *
 * Wake-ups: the thread is woken only when a file starts while it sleeps idle. While it times files it sleeps until
 * the deadline of the file it last saw, then re-reads the current file's start and sleeps again (or goes idle once
 * no file is in hand): arm and disarm of the following files are plain stores. Waking it twice per file (notify on
 * arm and on disarm) cost two thread context switches per file, the largest share of a worker's wake-ups at a
 * steady trickle of files (docs/BENCHMARKS.md, third round). Idle: no wake-ups at all.
 */
const UID_BYTES = 64;
const UID_AT = 24;
const THREAD_SOURCE = `
const UID_BYTES = ${UID_BYTES};
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const slots = new Int32Array(workerData.buffer, 0, 3);
const startedAt = new Float64Array(workerData.buffer, 16, 1);
for (;;) {
  Atomics.store(slots, 2, 1);
  Atomics.wait(slots, 1, 0);
  Atomics.store(slots, 2, 0);
  for (;;) {
    const generation = Atomics.load(slots, 0);
    if (Atomics.load(slots, 1) === 0) break;
    const left = startedAt[0] + workerData.limitMs - Date.now();
    if (left > 0) {
      Atomics.wait(slots, 0, generation, left);
      continue;
    }
    if (Atomics.load(slots, 0) !== generation || Atomics.load(slots, 1) !== 1) continue;
    const now = new Date().toISOString().replace('Z', '000Z');
    const record = { timestamp: now, level: 'critical', name: workerData.name, pid: process.pid, event: 'watchdog: the step blocked the worker beyond process_timeout; killing it (its file is recovered, and failed after 3 deaths)', plugin: workerData.plugin, step: workerData.step, limit_ms: workerData.limitMs };
    fs.writeSync(1, JSON.stringify(record) + '\\n');
    fs.writeSync(2, 'mfdata worker: ' + record.event + '\\n');
    const uid = Buffer.from(workerData.buffer, ${UID_AT}, UID_BYTES).toString('latin1').replace(/\\0+$/, '');
    if (uid && workerData.culpritFile) try { fs.writeFileSync(workerData.culpritFile, uid); } catch {}
    process.kill(process.pid, 'SIGKILL');
  }
}
`;

export class Watchdog {
  private readonly shared = new SharedArrayBuffer(UID_AT + UID_BYTES);
  private readonly slots = new Int32Array(this.shared, 0, 3);
  private readonly startedAt = new Float64Array(this.shared, 16, 1);
  private readonly uid = new Uint8Array(this.shared, UID_AT, UID_BYTES);
  private readonly thread: Worker;

  /** `limitMs`: time a file may keep the event loop before the worker is killed; `culpritFile`: where the uid of that file is written. */
  constructor(limitMs: number, identity: { name: string; plugin: string; step: string; culpritFile?: string }) {
    this.thread = new (lazyBuiltins.workerThreads().Worker)(THREAD_SOURCE, { eval: true, workerData: { buffer: this.shared, limitMs, ...identity } });
    // The thread never keeps the process alive on its own.
    this.thread.unref();
  }

  /** A file starts (`uid`: its claim, blamed if the watchdog kills the worker; none for a batch). */
  arm(uid = ''): void {
    this.uid.fill(0);
    this.uid.set(Buffer.from(uid.slice(0, UID_BYTES), 'latin1'));
    this.startedAt[0] = Date.now();
    Atomics.add(this.slots, 0, 1);
    Atomics.store(this.slots, 1, 1);
    // Only a thread asleep with no file to time needs waking; one timing an earlier file re-reads the start at its deadline.
    if (Atomics.load(this.slots, 2) === 1) Atomics.notify(this.slots, 1);
  }

  /** The file is done (or its timeout was handled in the main thread): a store, no wake-up. */
  disarm(): void {
    Atomics.store(this.slots, 1, 0);
  }

  async close(): Promise<void> {
    await this.thread.terminate();
  }
}
