// A private redis-server on a fixed unix socket that a test can SIGKILL and start again on the same socket.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pingRedis, requireRedisServer } from '../helpers/redis-server';

export class KillableRedis {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-leanredis-'));
  readonly socket = path.join(this.dir, 'redis.sock');
  private child: ChildProcess | undefined;

  /** Starts redis-server (no persistence, no TCP) and waits until it answers PING. */
  async start(): Promise<void> {
    const child = spawn(requireRedisServer(), ['--port', '0', '--unixsocket', this.socket, '--unixsocketperm', '700', '--dir', this.dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + 15_000;
    while (!(await pingRedis(this.socket))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on ${this.socket} (exit ${child.exitCode})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** SIGKILL, waiting for the exit; the stale socket file is removed so a client sees a refused connection. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    fs.rmSync(this.socket, { force: true });
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
