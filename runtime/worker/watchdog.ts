// process_timeout for steps that block the event loop: a watchdog thread kills the worker when a file takes
// far longer than allowed. (An async step is timed out in the main thread; a synchronous loop never yields.)
import { Worker } from 'node:worker_threads';

/**
 * Runs in the thread. Slot 0: file generation; slot 1: 1 while a file is being processed; bytes 8…: the claim uid
 * of that file, written to workerData.culpritFile before the kill (recovery then blames that file alone).
 * Waits cost no wake-ups.
 */
const UID_BYTES = 64;
const THREAD_SOURCE = `
const UID_BYTES = ${UID_BYTES};
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const slots = new Int32Array(workerData.buffer);
for (;;) {
  Atomics.wait(slots, 1, 0);
  const generation = Atomics.load(slots, 0);
  if (Atomics.wait(slots, 1, 1, workerData.limitMs) === 'timed-out' && Atomics.load(slots, 0) === generation && Atomics.load(slots, 1) === 1) {
    const now = new Date().toISOString().replace('Z', '000Z');
    const record = { timestamp: now, level: 'critical', name: workerData.name, pid: process.pid, event: 'watchdog: the step blocked the worker beyond process_timeout; killing it (its file is recovered, and failed after 3 deaths)', plugin: workerData.plugin, step: workerData.step, limit_ms: workerData.limitMs };
    fs.writeSync(1, JSON.stringify(record) + '\\n');
    fs.writeSync(2, 'mfdata worker: ' + record.event + '\\n');
    const uid = Buffer.from(workerData.buffer, 8, UID_BYTES).toString('latin1').replace(/\\0+$/, '');
    if (uid && workerData.culpritFile) try { fs.writeFileSync(workerData.culpritFile, uid); } catch {}
    process.kill(process.pid, 'SIGKILL');
  }
}
`;

export class Watchdog {
  private readonly shared = new SharedArrayBuffer(8 + UID_BYTES);
  private readonly slots = new Int32Array(this.shared, 0, 2);
  private readonly uid = new Uint8Array(this.shared, 8, UID_BYTES);
  private readonly thread: Worker;

  /** `limitMs`: time a file may keep the event loop before the worker is killed; `culpritFile`: where the uid of that file is written. */
  constructor(limitMs: number, identity: { name: string; plugin: string; step: string; culpritFile?: string }) {
    this.thread = new Worker(THREAD_SOURCE, { eval: true, workerData: { buffer: this.shared, limitMs, ...identity } });
    // The thread never keeps the process alive on its own.
    this.thread.unref();
  }

  /** A file starts (`uid`: its claim, blamed if the watchdog kills the worker; none for a batch). */
  arm(uid = ''): void {
    this.uid.fill(0);
    this.uid.set(Buffer.from(uid.slice(0, UID_BYTES), 'latin1'));
    Atomics.add(this.slots, 0, 1);
    Atomics.store(this.slots, 1, 1);
    Atomics.notify(this.slots, 1);
  }

  /** The file is done (or its timeout was handled in the main thread). */
  disarm(): void {
    Atomics.store(this.slots, 1, 0);
    Atomics.notify(this.slots, 1);
  }

  async close(): Promise<void> {
    await this.thread.terminate();
  }
}
