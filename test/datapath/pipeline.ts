// A two-step pipeline for end-to-end tests: observer + workers as child processes, a restartable redis-server.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { pingRedis, requireRedisServer } from '../helpers/redis-server';
import { listFiles, makeHome, startObserver, startWorker, walk, writeObserverIni, writePlugin, type Proc, type TestHome } from './harness';
import type { PluginConfig } from '../../runtime/config/model';

/** `main` checks the content, tags it and routes it to `store`; `store` renames it into the output directory under its original name. */
export const MAIN_STEP = `
import { defineStep } from 'mfdata';
import * as fs from 'node:fs';
export const step = defineStep({
  async process(file, ctx) {
    const delay = Number(ctx.getCustom('delay_ms', '0'));
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    await ctx.setTag(file, 'size', fs.statSync(file.path).size);
    return ctx.moveToPluginStep(file, ctx.plugin, 'store', { keepOriginalBasename: true });
  },
});
`;

export const STORE_STEP = `
import { defineStep } from 'mfdata';
import * as fs from 'node:fs';
import * as path from 'node:path';
export const step = defineStep({
  async process(file, ctx) {
    const size = await ctx.getTag(file, 'size', { step: 'main' });
    // The tag is missing only when Redis lost its data (killed without persistence in a test).
    if (size !== undefined && String(fs.statSync(file.path).size) !== size) throw new Error('wrong size tag for ' + file.originalBasename);
    fs.renameSync(file.path, path.join(ctx.getCustom('out'), file.originalBasename));
    return true;
  },
});
`;

/** A redis-server on a fixed unix socket that a test can kill and start again. */
export class RestartableRedis {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-rr-'));
  readonly socket = path.join(this.dir, 'redis.sock');
  private child: ChildProcess | undefined;

  async start(): Promise<void> {
    this.child = spawn(requireRedisServer(), ['--port', '0', '--unixsocket', this.socket, '--unixsocketperm', '700', '--dir', this.dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await pingRedis(this.socket))) {
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Pipeline {
  t: TestHome;
  redis: RestartableRedis;
  client: Redis;
  plugin: PluginConfig;
  inbox: string;
  out: string;
  procs: Proc[];
  observer?: Proc;
  startObserver(): Proc;
  startWorker(step: string): Proc;
  /** Files still anywhere under IN/ (inboxes, tmp, trash), relative paths. */
  leftovers(): string[];
  close(): Promise<void>;
}

export async function startPipeline(custom: Record<string, string> = {}): Promise<Pipeline> {
  const redis = new RestartableRedis();
  await redis.start();
  const t = makeHome();
  const out = path.join(t.dir, 'out');
  fs.mkdirSync(out);
  const plugin = writePlugin(t, 'two', [{ name: 'main', source: MAIN_STEP }, { name: 'store', source: STORE_STEP }], { out, ...custom });
  writeObserverIni(t, redis.socket, [plugin]);
  const client = new Redis({ path: redis.socket });
  client.on('error', () => undefined);
  const env = { MFDATA_REDIS_UNIX_SOCKET: redis.socket };
  const p: Pipeline = {
    t, redis, client, plugin, out, procs: [],
    inbox: plugin.steps[0].watchedDirectories[0],
    startObserver() {
      const o = startObserver(t);
      p.procs.push(o);
      p.observer = o;
      return o;
    },
    startWorker(step: string) {
      const w = startWorker(t, 'two', step, env);
      p.procs.push(w);
      return w;
    },
    leftovers: () => walk(t.home.inDir),
    async close() {
      await Promise.all(p.procs.map((x) => x.stop()));
      client.disconnect();
      await redis.stop();
      t.cleanup();
    },
  };
  return p;
}

/** Writes `count` files `f00000…` into `dir` via `.t` names (the producer convention). */
export function produce(dir: string, count: number, from = 0): Map<string, string> {
  const written = new Map<string, string>();
  for (let i = from; i < from + count; i++) {
    const name = `f${String(i).padStart(5, '0')}`;
    const content = `${name}:${'x'.repeat(i % 97)}`;
    fs.writeFileSync(path.join(dir, `${name}.t`), content);
    fs.renameSync(path.join(dir, `${name}.t`), path.join(dir, name));
    written.set(name, content);
  }
  return written;
}

/** Each expected file exactly once in `out`, with its content; nothing else. */
export function checkDelivered(out: string, expected: Map<string, string>): string[] {
  const problems: string[] = [];
  const present = listFiles(out);
  if (present.length !== expected.size) problems.push(`${present.length} files in out/, expected ${expected.size}`);
  for (const [name, content] of expected) {
    const file = path.join(out, name);
    if (!fs.existsSync(file)) problems.push(`missing ${name}`);
    else if (fs.readFileSync(file, 'utf8') !== content) problems.push(`content differs: ${name}`);
    if (problems.length > 10) break;
  }
  return problems;
}
