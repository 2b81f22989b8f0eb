// Starts a private redis-server for a test: temporary directory, unix socket, no TCP; stops it afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';

export interface TestRedis {
  socket: string;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function findRedisServer(): string | undefined {
  const candidates = [process.env.MFDATA_REDIS_SERVER, ...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'redis-server'))];
  return candidates.find((c) => c !== undefined && c !== '' && fs.existsSync(c));
}

export function requireRedisServer(): string {
  const found = findRedisServer();
  if (!found) {
    throw new Error('redis-server not found: these tests need a real Redis. Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set MFDATA_REDIS_SERVER.');
  }
  return found;
}

/** Sends PING over the unix socket; resolves true on +PONG. */
export function pingRedis(socket: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.createConnection(socket);
    const timer = setTimeout(() => { conn.destroy(); resolve(false); }, timeoutMs);
    conn.on('connect', () => conn.write('PING\r\n'));
    conn.on('data', (d) => { clearTimeout(timer); conn.destroy(); resolve(d.toString().startsWith('+PONG')); });
    conn.on('error', () => { clearTimeout(timer); resolve(false); });
  });
}

export async function startTestRedis(extraArgs: string[] = []): Promise<TestRedis> {
  const bin = requireRedisServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-redis-'));
  const socket = path.join(dir, 'redis.sock');
  const child = spawn(bin, ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--save', '', '--appendonly', 'no', ...extraArgs], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr += d.toString(); });
  const deadline = Date.now() + 10_000;
  while (!(await pingRedis(socket))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start (exit ${child.exitCode}): ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    socket,
    dir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when redis-server can be run here (for a clear skip message rather than a hang). */
export function redisAvailable(): boolean {
  const bin = findRedisServer();
  return bin !== undefined && spawnSync(bin, ['--version']).status === 0;
}

/** Runs `fn` with an ioredis client of a private redis-server, stopped afterwards. */
export async function withRedis(fn: (r: Redis) => Promise<void>): Promise<void> {
  const server = await startTestRedis();
  const r = new Redis({ path: server.socket });
  try {
    await fn(r);
  } finally {
    r.disconnect();
    await server.stop();
  }
}
