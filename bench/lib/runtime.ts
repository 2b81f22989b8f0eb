// A real runtime for benchmarks: a workspace of no-op TypeScript plugins and a home on tmpfs (/dev/shm) or disk (/tmp),
// started and stopped with the real `mfdata start` / `mfdata stop`, with the pids of each process by role.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runtimeHome, stepInbox, stepTmpDir, type RuntimeHome } from '../../runtime/home';
import { controlRequest } from '../../runtime/supervisor/control-client';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';
import { childrenOf, isAlive } from './proc';
import { readRecordFiles } from './producer';
import { isEmptyDir, waitUntil } from './wait';

export const ROOT = path.resolve(__dirname, '../../..');
const MFDATA = path.join(ROOT, 'bin/mfdata');

/** tmpfs: the pipeline is measured, not the disk; disk: ext4 /tmp, the normal case. */
export type Storage = 'tmpfs' | 'disk';

export interface PluginSpec {
  name: string;
  steps: { name: string; numprocesses: number }[];
}

export interface RuntimeOptions {
  storage: Storage;
  plugins: PluginSpec[];
  /** Each process() records `<name> <hrtime>` (flushed to the record directory when the worker stops). */
  record?: boolean;
  /** Extra mfdata.ini text (sections). */
  mfdataIni?: string;
  /** Environment given to the runtime on top of the caller's (after its MFDATA_* variables are dropped). */
  env?: Record<string, string>;
}

/** The no-op step: returns true (the worker deletes the file). It notes the time of its first process() (written then
 * renamed, so a reader never sees it empty) and, when
 * recording, each file's process() start on the monotonic clock that process.hrtime shares across processes. */
const NOOP_STEP = `
import * as fs from 'node:fs';
const seen: string[] = [];
let first = true;
let dir = '';
let record = false;
export const step = {
  init(ctx) { dir = ctx.getCustom('record_dir'); record = ctx.getCustom('record') === '1'; },
  process(file) {
    const at = globalThis.process.hrtime.bigint();
    if (first) { first = false; const f = dir + '/first-' + globalThis.process.pid; fs.writeFileSync(f + '.t', String(at)); fs.renameSync(f + '.t', f); }
    if (record) seen.push(file.originalBasename + ' ' + at);
    return true;
  },
  destroy() { if (seen.length > 0) fs.writeFileSync(dir + '/rec-' + globalThis.process.pid, seen.join('\\n')); },
};
`;

/** Pids of a running runtime by role. */
export interface RuntimePids {
  supervisor: number;
  redis: number[];
  /** The observer and its inotifywait. */
  observer: number[];
  workers: number[];
  /** conf_monitor, housekeeping and any other watcher. */
  others: number[];
}

export function baseDir(storage: Storage): string {
  return fs.mkdtempSync(path.join(storage === 'tmpfs' ? '/dev/shm' : '/tmp', 'mfdata-bench-'));
}

/** File system type of a directory, from /proc/mounts (longest mount point that contains it). */
export function fsType(dir: string): string {
  let best = { point: '', type: '?' };
  for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, point, type] = line.split(' ');
    if (point && (dir === point || dir.startsWith(point.endsWith('/') ? point : `${point}/`)) && point.length > best.point.length) best = { point, type };
  }
  return best.type;
}

function writeWorkspace(ws: string, opts: RuntimeOptions, recordDir: string): void {
  for (const p of opts.plugins) {
    const dir = path.join(ws, 'plugins', p.name);
    fs.mkdirSync(dir, { recursive: true });
    const steps = p.steps.map((s) => `[step_${s.name}]\nnumprocesses = ${s.numprocesses}\ntimeout = 30\nfailure_policy = keep\n`);
    fs.writeFileSync(path.join(dir, 'config.ini'), [
      '[general]\n_version = 1.0.0\n_release = 1\n_summary = benchmark no-op plugin\n_license = MIT\n_url = https://example.invalid/bench\n_maintainer = bench\n_vendor = bench\n',
      ...steps, `[custom]\nrecord_dir = ${recordDir}\nrecord = ${opts.record === true ? 1 : 0}\n`,
    ].join('\n'));
    for (const s of p.steps) fs.writeFileSync(path.join(dir, `${s.name}.ts`), NOOP_STEP);
  }
  fs.writeFileSync(path.join(ws, 'mfdata.ini'), `[internal_plugins]\ninstall_switch = 0\ninstall_guess_file_type = 0\n\n${opts.mfdataIni ?? ''}`);
}

/** Runs `mfdata <args>` on this workspace and home; resolves with its exit code, output and wall time. */
function runCli(ws: string, home: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [MFDATA, '--home', home, '--workspace', ws, ...args], { cwd: ws, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });
}

export class BenchRuntime {
  readonly home: RuntimeHome;
  readonly workspace: string;
  readonly recordDir: string;
  private readonly env: NodeJS.ProcessEnv;
  private running = false;

  constructor(readonly base: string, readonly options: RuntimeOptions) {
    this.workspace = path.join(base, 'ws');
    this.home = runtimeHome(path.join(base, 'home'));
    this.recordDir = path.join(base, 'record');
    fs.mkdirSync(this.recordDir, { recursive: true });
    writeWorkspace(this.workspace, options, this.recordDir);
    this.env = { ...process.env };
    // The calling shell's home, metrics sinks or log level must not leak into the measured runtime.
    for (const k of Object.keys(this.env)) if (k.startsWith('MFDATA_') || k.startsWith('MFLOG_')) delete this.env[k];
    Object.assign(this.env, options.env);
  }

  static create(options: RuntimeOptions): BenchRuntime {
    return new BenchRuntime(baseDir(options.storage), options);
  }

  inbox(plugin: string, step: string): string {
    return stepInbox(this.home, plugin, step);
  }

  /** Nothing left in the inbox nor claimed in IN/tmp/<plugin>.<step> (its .workers registry aside). */
  drained(plugin: string, step: string): boolean {
    return isEmptyDir(this.inbox(plugin, step)) && isEmptyDir(stepTmpDir(this.home, plugin, step), new Set(['.workers']));
  }

  /** `mfdata start`, which returns once every watcher runs; resolves with its wall time in ms. */
  async start(timeoutS = 120): Promise<number> {
    const r = await runCli(this.workspace, this.home.root, ['start', '--timeout', String(timeoutS)], this.env);
    this.running = true;
    if (r.code !== 0) throw new Error(`benchmark: mfdata start exited ${r.code} (home ${this.home.root}): ${r.out.trim()}`);
    for (const p of this.options.plugins) for (const s of p.steps) fs.mkdirSync(this.inbox(p.name, s.name), { recursive: true });
    return r.ms;
  }

  /** `mfdata stop`; resolves with the command's wall time and the time until no process of the runtime is left. */
  async stop(): Promise<{ cliMs: number; goneMs: number }> {
    const pids = await this.pids().catch(() => undefined);
    const all = pids ? [pids.supervisor, ...pids.redis, ...pids.observer, ...pids.workers, ...pids.others] : [];
    const t0 = process.hrtime.bigint();
    const r = await runCli(this.workspace, this.home.root, ['stop', '--timeout', '60'], this.env);
    if (r.code !== 0) throw new Error(`benchmark: mfdata stop exited ${r.code} (home ${this.home.root}): ${r.out.trim()}`);
    await waitUntil('every runtime process to exit', () => all.every((p) => !isAlive(p)), 30_000, 5);
    this.running = false;
    return { cliMs: r.ms, goneMs: Number(process.hrtime.bigint() - t0) / 1e6 };
  }

  status(): Promise<RuntimeStatus> {
    return controlRequest(this.home.supervisorSocket, { cmd: 'status' }) as Promise<RuntimeStatus>;
  }

  async pids(): Promise<RuntimePids> {
    const s = await this.status();
    const of = (kind: string): number[] => s.watchers.filter((w) => w.kind === kind).flatMap((w) => w.processes.map((p) => p.pid));
    const observer = of('directory_observer');
    const known = new Set(['redis', 'directory_observer', 'step']);
    return {
      supervisor: s.pid,
      redis: of('redis'),
      observer: [...observer, ...observer.flatMap(childrenOf)],
      workers: of('step'),
      others: s.watchers.filter((w) => !known.has(w.kind)).flatMap((w) => w.processes.map((p) => p.pid)),
    };
  }

  /** Every process of the runtime with a label: supervisor, each watcher's processes (`<watcher>#<wid>`), inotifywait. */
  async labelledPids(): Promise<{ label: string; kind: string; pid: number }[]> {
    const s = await this.status();
    const out = [{ label: 'supervisor', kind: 'supervisor', pid: s.pid }];
    for (const w of s.watchers) {
      for (const p of w.processes) {
        out.push({ label: w.numprocesses > 1 ? `${w.name}#${p.wid}` : w.name, kind: w.kind, pid: p.pid });
        if (w.kind === 'directory_observer') for (const c of childrenOf(p.pid)) out.push({ label: 'inotifywait', kind: 'inotifywait', pid: c });
      }
    }
    return out;
  }

  /** Per-file process() start times recorded by the workers (after they stopped), by file name. */
  records(): Map<string, bigint> {
    return readRecordFiles(fs.readdirSync(this.recordDir).filter((n) => n.startsWith('rec-')).map((n) => path.join(this.recordDir, n)));
  }

  clearRecords(): void {
    for (const f of fs.readdirSync(this.recordDir)) fs.rmSync(path.join(this.recordDir, f), { force: true });
  }

  /** Stops the runtime if it runs (best effort) and removes the whole base directory. */
  async dispose(): Promise<void> {
    if (this.running) await runCli(this.workspace, this.home.root, ['stop', '--timeout', '60'], this.env).catch(() => undefined);
    fs.rmSync(this.base, { recursive: true, force: true });
  }
}
