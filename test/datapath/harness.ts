// Test harness for the data path: a runtime home with plugins and config_auto files, and our entry points run as child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PluginConfig, StepConfig } from '../../runtime/config/model';
import { runtimeHome, type RuntimeHome } from '../../runtime/home';
import { WORKER_NODE_FLAGS } from '../../runtime/config/generate/watchers';
import { isNameReservation } from '../../runtime/tags/inbox-name';

export const ROOT = path.resolve(__dirname, '../../..');
export const WORKER_JS = path.join(ROOT, 'dist/runtime/worker.js');
export const OBSERVER_JS = path.join(ROOT, 'dist/runtime/observer.js');
export const CLI_JS = path.join(ROOT, 'dist/runtime/cli.js');

export interface TestHome {
  dir: string;
  home: RuntimeHome;
  cleanup(): void;
}

export function makeHome(): TestHome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-dp-'));
  const home = runtimeHome(path.join(dir, 'home'));
  fs.mkdirSync(home.configAutoDir, { recursive: true });
  fs.mkdirSync(home.inDir, { recursive: true });
  return { dir, home, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface StepSpec {
  name: string;
  /** TypeScript source of the step module (written as <plugin dir>/<name>.ts). */
  source: string;
  config?: Partial<StepConfig>;
}

export function stepConfig(home: RuntimeHome, plugin: string, name: string, modulePath: string, extra: Partial<StepConfig> = {}): StepConfig {
  return {
    name, stepModule: path.basename(modulePath), stepModulePath: modulePath, numprocesses: 1, debug: false, timeout: 10,
    processTimeout: 0, maxAge: 0, maxAgeVariance: 0, watchedDirectories: [path.join(home.inDir, `step.${plugin}.${name}`)],
    failurePolicy: 'keep', failurePolicyMoveDestDir: '', retryTotal: 0, retryMinWait: 10, retryMaxWait: 120, retryBackoff: 0,
    stepLimit: 1000, batchMaxSize: 100, batchMaxWait: 10, options: {}, ...extra,
  };
}

/** Writes the plugin's step files and `<home>/tmp/config_auto/plugins/<name>.json`. */
export function writePlugin(t: TestHome, name: string, steps: StepSpec[], custom: Record<string, string> = {}): PluginConfig {
  const dir = path.join(t.dir, 'plugins', name);
  fs.mkdirSync(dir, { recursive: true });
  const configs = steps.map((s) => {
    const file = path.join(dir, `${s.name}.ts`);
    fs.writeFileSync(file, s.source);
    const cfg = stepConfig(t.home, name, s.name, file, s.config);
    for (const d of cfg.watchedDirectories) fs.mkdirSync(d, { recursive: true });
    return cfg;
  });
  const plugin: PluginConfig = {
    name, dir, origin: 'workspace', configFile: path.join(dir, 'config.ini'), version: '1.0.0', release: '1', summary: '', license: '',
    url: '', maintainer: '', vendor: '', steps: configs, extraDaemons: [], custom, switchRules: [],
  };
  fs.mkdirSync(path.join(t.home.configAutoDir, 'plugins'), { recursive: true });
  fs.writeFileSync(path.join(t.home.configAutoDir, 'plugins', `${name}.json`), JSON.stringify(plugin, null, 2));
  return plugin;
}

/** Writes directory_observer.ini with one section per step of each plugin. */
export function writeObserverIni(t: TestHome, socket: string, plugins: PluginConfig[], common: Record<string, string> = {}): string {
  const lines = ['[common]', `redis_unix_socket = ${socket}`, ...Object.entries(common).map(([k, v]) => `${k} = ${v}`), ''];
  for (const p of plugins) {
    for (const s of p.steps) {
      s.watchedDirectories.forEach((d, i) => {
        lines.push(`[step_${p.name}_${s.name}_${i + 1}]`, 'active = true', `directory = ${d}`, `queue = step.${p.name}.${s.name}`, '');
      });
    }
  }
  const file = path.join(t.home.configAutoDir, 'directory_observer.ini');
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/** A child process whose stdout JSON lines (mflog records) and stderr are collected. */
export interface Proc {
  child: ChildProcess;
  records: Array<Record<string, unknown>>;
  stderr: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Run the process as another user (tests running as root that need file permissions to apply). */
export interface RunAs {
  uid: number;
  gid: number;
}

export function startProc(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = ['--enable-source-maps'], runAs?: RunAs): Proc {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...runAs });
  const records: Array<Record<string, unknown>> = [];
  let err = '';
  let buf = '';
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        records.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        records.push({ raw: line });
      }
    }
  });
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  // 'close' comes once stdout/stderr are drained, so records and stderr are complete when `exited` resolves;
  // 'exit' (plus a grace second) covers a grandchild that keeps a pipe open.
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('exit', (code) => setTimeout(() => resolve(code), 1000).unref());
  });
  return {
    child, records, stderr: () => err, exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export function startWorker(t: TestHome, plugin: string, step: string, env: Record<string, string> = {}, runAs?: RunAs): Proc {
  // The node flags the supervisor gives workers (no --enable-source-maps: the worker maps step code itself).
  return startProc(WORKER_JS, ['--home', t.home.root, '--plugin', plugin, '--step', step], env, [...WORKER_NODE_FLAGS], runAs);
}

export function startObserver(t: TestHome, env: Record<string, string> = {}): Proc {
  return startProc(OBSERVER_JS, ['--config', path.join(t.home.configAutoDir, 'directory_observer.ini'), '--home', t.home.root], env);
}

export async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

let dropCounter = 0;

/** Writes a file the well-behaved way: a temporary `.t` name (short, so a 255-byte final name works), then a rename. */
export function dropFile(dir: string, name: string, content: string | Buffer): string {
  const final = path.join(dir, name);
  const tmp = path.join(dir, `.drop-${process.pid}-${dropCounter++}.t`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, final);
  return final;
}

/**
 * Names in `dir`, dot-files left out, and so are inbox name reservations: a mover's placeholder symlink
 * (runtime/tags/inbox-name.ts) is a name whose file has not arrived yet, so a test waiting for a file to reach an
 * inbox does not read it in the microseconds before the rename replaces it.
 */
export function listFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => !e.name.startsWith('.') && !(e.isSymbolicLink() && isNameReservation(path.join(dir, e.name)))).map((e) => e.name);
}


/**
 * Every entry under `dir` but directories (recursive), relative paths; dot-names skipped, and inbox name
 * reservations too: one a worker killed between its symlink and its rename left is no file (its file went back to
 * work as a claim) and goes with housekeeping a minute later (test/housekeeping/housekeeper.test.ts).
 */
export function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink() && isNameReservation(p)) continue;
    if (e.isDirectory()) out.push(...walk(p, base));
    else out.push(path.relative(base, p));
  }
  return out;
}
