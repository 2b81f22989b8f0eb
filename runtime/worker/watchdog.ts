// process_timeout for steps that block the event loop: a watchdog thread kills the worker when a file takes
// far longer than allowed. (An async step is timed out in the main thread; a synchronous loop never yields.)
import { Worker } from 'node:worker_threads';

/** Runs in the thread. Slot 0: file generation; slot 1: 1 while a file is being processed. Waits cost no wake-ups. */
const THREAD_SOURCE = `
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
    process.kill(process.pid, 'SIGKILL');
  }
}
`;

export class Watchdog {
  private readonly slots = new Int32Array(new SharedArrayBuffer(8));
  private readonly thread: Worker;

  /** `limitMs`: time a file may keep the event loop before the worker is killed. */
  constructor(limitMs: number, identity: { name: string; plugin: string; step: string }) {
    this.thread = new Worker(THREAD_SOURCE, { eval: true, workerData: { buffer: this.slots.buffer, limitMs, ...identity } });
    // The thread never keeps the process alive on its own.
    this.thread.unref();
  }

  /** A file starts. */
  arm(): void {
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
