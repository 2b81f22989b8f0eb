// Test helpers for the supervisor: short temp homes (unix socket paths are limited to 107 bytes),
// tiny node scripts as watcher commands, WatcherSpec builders, /proc checks and polling.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SupervisorConfig, WatcherSpec } from '../../runtime/supervisor/watcher-spec';
import { READY_ENV, READY_LINE } from '../../runtime/util/ready';

/** What our own processes write once up, when the supervisor asks for it (runtime/util/ready.ts). */
const ANNOUNCE = `if (process.env.${READY_ENV} === '1') console.log(${JSON.stringify(READY_LINE)});`;

/** Node scripts used as watcher commands. Each takes its behaviour from its own source only. */
export const SCRIPTS: Record<string, string> = {
  // Runs until SIGTERM, then exits 0; announces it is up, as the step workers it stands in for do.
  'sleeper.js': `process.on('SIGTERM', () => process.exit(0)); console.log('sleeper up ' + process.pid + ' wid ' + process.env.MFDATA_WID); ${ANNOUNCE} setInterval(() => {}, 1000);`,
  // Exits at once with a recognisable stderr line.
  'crasher.js': `console.error('starting crasher'); console.error('crasher: cannot open queue step.p.s'); process.exit(3);`,
  // Ignores SIGTERM: only SIGKILL ends it.
  'stubborn.js': `process.on('SIGTERM', () => { console.log('ignoring SIGTERM'); }); console.log('stubborn up'); setInterval(() => {}, 1000);`,
  // Appends its argv[2] to the file argv[3] on SIGTERM (records stop order), then exits.
  'recorder.js': `const fs = require('fs'); process.on('SIGTERM', () => { fs.appendFileSync(process.argv[3], process.argv[2] + '\\n'); process.exit(0); }); console.log('recorder ready'); ${ANNOUNCE} setInterval(() => {}, 1000);`,
  // A hook: appends argv[2] to file argv[3], exits with code argv[4] (default 0).
  'hook.js': `require('fs').appendFileSync(process.argv[3], process.argv[2] + '\\n'); process.exit(Number(process.argv[4] ?? 0));`,
};

export interface TempHome {
  root: string;
  scripts: string;
  script(name: string): string;
  cleanup(): void;
}

export function makeTempHome(): TempHome {
  // os.tmpdir() plus a short prefix keeps <home>/var/supervisor.sock well under the limit.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mfs-'));
  const scripts = path.join(root, 's');
  fs.mkdirSync(scripts, { recursive: true });
  fs.mkdirSync(path.join(root, 'var'), { recursive: true });
  fs.mkdirSync(path.join(root, 'log'), { recursive: true });
  for (const [name, body] of Object.entries(SCRIPTS)) fs.writeFileSync(path.join(scripts, name), body);
  return {
    root,
    scripts,
    script: (name) => path.join(scripts, name),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** A watcher running `node <script> ...args`. */
export function nodeWatcher(home: TempHome, name: string, script: string, overrides: Partial<WatcherSpec> = {}): WatcherSpec {
  return {
    name,
    kind: name.startsWith('step.') ? 'step' : 'extra',
    command: process.execPath,
    args: [home.script(script)],
    cwd: home.root,
    env: {},
    numprocesses: 1,
    gracefulTimeout: 5,
    stopSignal: 'SIGTERM',
    maxAge: 0,
    maxAgeVariance: 0,
    priority: 50,
    autostart: true,
    logFile: path.join(home.root, 'log', `${name}.log`),
    fingerprint: `${name}-1`,
    backoff: { initialSeconds: 0.05, maxSeconds: 0.5 },
    flapping: { exits: 4, windowSeconds: 30 },
    ...overrides,
  };
}

export function writeWatchers(home: TempHome, watchers: WatcherSpec[]): SupervisorConfig {
  const config: SupervisorConfig = { home: home.root, watchers };
  const dir = path.join(home.root, 'tmp', 'config_auto');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'watchers.json'), JSON.stringify(config, null, 2));
  return config;
}

/** True when /proc/<pid> exists and the process is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The built supervisor entry point (node scripts/build.mjs puts it in dist/runtime/). */
export const SUPERVISOR_JS = path.resolve(__dirname, '../../../dist/runtime/supervisor.js');

export interface RunningSupervisor {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export function spawnSupervisor(home: TempHome, extraArgs: string[] = []): RunningSupervisor {
  const child = spawn(process.execPath, [SUPERVISOR_JS, '--home', home.root, ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => { err += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

/** A redis watcher running the real redis-server with a redis.conf in tmp/config_auto (unix socket only). */
export function redisWatcher(home: TempHome, redisServer: string, overrides: Partial<WatcherSpec> = {}): WatcherSpec {
  const dir = path.join(home.root, 'tmp', 'config_auto');
  const data = path.join(home.root, 'var', 'redis');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(data, { recursive: true });
  const conf = path.join(dir, 'redis.conf');
  fs.writeFileSync(conf, [
    'port 0',
    `unixsocket ${path.join(home.root, 'var', 'redis.sock')}`,
    'unixsocketperm 700',
    `dir ${data}`,
    'save ""',
    'appendonly yes',
    'maxmemory-policy noeviction',
    'daemonize no',
    '',
  ].join('\n'));
  return {
    name: 'redis', kind: 'redis', command: redisServer, args: [conf], cwd: home.root, env: {}, numprocesses: 1,
    gracefulTimeout: 10, stopSignal: 'SIGTERM', maxAge: 0, maxAgeVariance: 0, priority: 0, autostart: true,
    logFile: path.join(home.root, 'log', 'redis.log'), fingerprint: 'redis-1', ...overrides,
  };
}

SCRIPTS['needs-redis.js'] = `
const net = require('net');
const c = net.createConnection(process.argv[2]);
c.on('connect', () => c.write('PING\\r\\n'));
c.on('data', (d) => { console.log('redis answered ' + d.toString().trim()); ${ANNOUNCE} c.destroy(); });
c.on('error', (e) => { console.log('redis unreachable ' + e.code); });
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);`;

/** Waits until the watcher's log file holds `text` (a script printing it has installed its signal handlers). */
export function waitForLog(home: TempHome, watcher: string, text: string): Promise<true> {
  const file = path.join(home.root, 'log', `${watcher}.log`);
  return waitFor(`'${text}' in ${file}`, () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(text));
}
