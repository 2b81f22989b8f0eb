// The baselines' bare loop: inotifywait → one LPUSH per file → k consumers doing BRPOP then rename, nothing else
// (no claim, tags, counters, traces nor step), on a private redis-server over a unix socket.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis, type TestRedis } from '../../test/helpers/redis-server';
import { childrenOf, isAlive } from './proc';
import { waitUntil } from './wait';

/** BRPOP, rename into the done directory; with a record file, the time each rename ended. Exits on STOP. */
export const BARE_CONSUMER = `
const Redis = require(${JSON.stringify(require.resolve('ioredis'))});
const fs = require('node:fs');
const [socket, queue, done, record] = process.argv.slice(1);
const r = new Redis({ path: socket });
const out = [];
(async () => {
  for (;;) {
    const m = await r.brpop(queue, 0);
    if (m[1] === 'STOP') break;
    const msg = JSON.parse(m[1]);
    try { fs.renameSync(msg.directory + '/' + msg.filename, done + '/' + msg.filename); } catch {}
    if (record) out.push(msg.filename + ' ' + process.hrtime.bigint());
  }
  if (record) fs.writeFileSync(record, out.join('\\n'));
  r.disconnect();
})();
`;

/** inotifywait (NUL-separated records), one LPUSH per file not ending in .t, MFDATA's message. */
export const BARE_OBSERVER = `
const Redis = require(${JSON.stringify(require.resolve('ioredis'))});
const { spawn } = require('node:child_process');
const [socket, queue, dir] = process.argv.slice(1);
const r = new Redis({ path: socket });
const iw = spawn('inotifywait', ['-m', '--no-newline', '--format', '%w%0%e%0%f%0', '-e', 'close_write', '-e', 'moved_to', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
iw.stderr.on('data', (d) => { if (String(d).includes('Watches established')) process.stdout.write('ready\\n'); });
let buf = '';
iw.stdout.setEncoding('utf8');
iw.stdout.on('data', (d) => {
  const parts = (buf + d).split('\\0');
  buf = parts.pop();
  for (let i = 0; i + 2 < parts.length; i += 3) {
    const name = parts[i + 2];
    if (!name.endsWith('.t')) r.lpush(queue, JSON.stringify({ directory: dir, filename: name, event: 'created', event_timestamp: Date.now() / 1000 }));
  }
});
process.on('SIGTERM', () => { iw.kill(); r.disconnect(); });
`;

export class BareLoop {
  private readonly procs: ChildProcess[] = [];
  private consumers: ChildProcess[] = [];
  private observer: ChildProcess | undefined;
  private readonly queue = 'bare';

  private constructor(readonly redis: TestRedis, readonly client: Redis, readonly dir: string, readonly doneDir: string) {}

  /** A private redis-server, and the watched and done directories under `base` (tmpfs or disk). */
  static async create(base: string): Promise<BareLoop> {
    const redis = await startTestRedis();
    const dir = path.join(base, 'bare-in');
    const doneDir = path.join(base, 'bare-done');
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(doneDir, { recursive: true });
    return new BareLoop(redis, new Redis({ path: redis.socket }), dir, doneDir);
  }

  /** Starts the observer and `k` consumers (recording into `recordPrefix-<i>` when given). */
  async start(k: number, recordPrefix = ''): Promise<void> {
    const obs = spawn(process.execPath, ['-e', BARE_OBSERVER, this.redis.socket, this.queue, this.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.procs.push(obs);
    this.observer = obs;
    await new Promise<void>((resolve, reject) => {
      obs.stdout?.once('data', () => resolve());
      obs.once('exit', (code) => reject(new Error(`benchmark: bare observer exited ${code} before its watch was established (is inotifywait installed?)`)));
    });
    this.consumers = Array.from({ length: k }, (_, i) => spawn(process.execPath,
      ['-e', BARE_CONSUMER, this.redis.socket, this.queue, this.doneDir, recordPrefix ? `${recordPrefix}-${i}` : ''], { stdio: 'inherit' }));
    this.procs.push(...this.consumers);
    // Started = every consumer blocked in BRPOP.
    await waitUntil('bare consumers connected', async () => Number(/blocked_clients:(\d+)/.exec(await this.client.info('clients'))?.[1] ?? 0) >= k, 20_000, 20);
  }

  /** Pids by role: observer (+ inotifywait), consumers, redis. */
  pids(): { observer: number[]; consumers: number[]; redis: number[] } {
    const o = this.observer?.pid;
    return {
      observer: o === undefined ? [] : [o, ...childrenOf(o)],
      consumers: this.consumers.map((c) => c.pid as number),
      redis: [this.redis.process.pid as number],
    };
  }

  /** Stops observer and consumers (the consumers write their records on STOP first). */
  async stop(): Promise<void> {
    await this.client.lpush(this.queue, ...this.consumers.map(() => 'STOP'));
    await waitUntil('bare consumers to exit', () => this.consumers.every((c) => c.exitCode !== null || c.signalCode !== null), 30_000);
    this.observer?.kill('SIGTERM');
    const pid = this.observer?.pid;
    if (pid !== undefined) await waitUntil('bare observer to exit', () => !isAlive(pid), 10_000);
    this.consumers = [];
    this.observer = undefined;
  }

  /** Moves the done files back as `<name>.t` into the watched directory, ready for another round. */
  /**
   * Waits until the watched directory is empty. The bare loop has no rescan: when inotify's queue overflowed it
   * missed files for good; then (nothing queued, nothing moved for 3 s) the files left are queued by hand so the
   * round ends, and the result says it overflowed (the caller repeats the round: its time is not the loop's).
   */
  async drain(timeoutMs: number): Promise<{ overflowed: number }> {
    const deadline = Date.now() + timeoutMs;
    let left = -1;
    let stillSince = Date.now();
    for (;;) {
      const names = fs.readdirSync(this.dir).filter((n) => !n.endsWith('.t'));
      if (names.length === 0) return { overflowed: 0 };
      if (names.length !== left) [left, stillSince] = [names.length, Date.now()];
      if (Date.now() - stillSince > 3000 && (await this.client.llen(this.queue)) === 0) {
        for (const name of names) await this.client.lpush(this.queue, JSON.stringify({ directory: this.dir, filename: name, event: 'created', event_timestamp: Date.now() / 1000 }));
        await waitUntil('the bare loop to drain the files it missed', () => fs.readdirSync(this.dir).every((n) => n.endsWith('.t')), timeoutMs);
        return { overflowed: names.length };
      }
      if (Date.now() > deadline) throw new Error(`benchmark: timed out after ${timeoutMs} ms waiting for the bare loop to drain its directory`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  restage(): void {
    for (const n of fs.readdirSync(this.doneDir)) fs.renameSync(path.join(this.doneDir, n), path.join(this.dir, `${n}.t`));
  }

  async dispose(): Promise<void> {
    for (const p of this.procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    this.client.disconnect();
    await this.redis.stop();
  }
}
