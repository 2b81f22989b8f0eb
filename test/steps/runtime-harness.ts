// A whole runtime for step tests: a workspace of config.ini files, generated config_auto, and the real supervisor
// (redis-server, observer, workers as child processes of dist/runtime/supervisor.js). Needs `node scripts/build.mjs`.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { formatProblem } from '../../runtime/config/errors';
import { generateConfigAuto } from '../../runtime/config/generate';
import { writeConfigAuto } from '../../runtime/config/generate/write';
import { runtimeHome, type RuntimeHome } from '../../runtime/home';
import { readStatusFile } from '../../runtime/supervisor/status-file';
import { requireRedisServer } from '../helpers/redis-server';

export const ROOT = path.resolve(__dirname, '../../..');
export const RUNTIME_DIR = path.join(ROOT, 'dist/runtime');

export const GENERAL = '[general]\n_version = 1.0.0\n_summary = test\n_license = MIT\n_url = https://example.org\n_maintainer = me\n_vendor = us\n';

export interface TestRuntime {
  root: string;
  workspace: string;
  home: RuntimeHome;
  /** Regenerates tmp/config_auto from the workspace (what conf_monitor does), without asking for a reload. */
  regenerate(): void;
  /** Drops a file into a directory the way producers must: `<name>.t`, then a rename. */
  drop(dir: string, name: string, content: string | Buffer): void;
  stop(): Promise<void>;
  /** Stops the supervisor (and everything it runs) and starts it again on the same home. */
  restart(): Promise<void>;
}

const stderrs = new WeakMap<ChildProcess, string[]>();

function stderrOf(child: ChildProcess): string {
  return (stderrs.get(child) ?? []).join('').slice(-8000);
}

function spawnSupervisor(home: RuntimeHome, workspace: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(RUNTIME_DIR, 'supervisor.js'), '--home', home.root, '--workspace', workspace, '--foreground'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const chunks: string[] = [];
  stderrs.set(child, chunks);
  child.stderr?.on('data', (d) => { chunks.push(String(d)); if (chunks.length > 200) chunks.shift(); });
  return child;
}

/** As `mfdata` itself generates it (mfdata.ini [redis] path, else redis-server on PATH), so a later regeneration by
 * `mfdata plugins install` produces the same redis watcher and a reload does not restart Redis. */
function redisServer(): string | undefined {
  requireRedisServer();
  return undefined;
}

export function writeWorkspacePlugin(workspace: string, name: string, ini: string): void {
  const dir = path.join(workspace, 'plugins', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.ini'), GENERAL + ini);
}

export async function startRuntime(setup: (workspace: string, root: string) => void): Promise<TestRuntime> {
  if (!fs.existsSync(path.join(RUNTIME_DIR, 'supervisor.js'))) throw new Error(`${RUNTIME_DIR}/supervisor.js missing: run node scripts/build.mjs`);
  // Short: the control and Redis unix socket paths must stay under 107 bytes.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mfst-'));
  const workspace = path.join(root, 'ws');
  fs.mkdirSync(path.join(workspace, 'plugins'), { recursive: true });
  const home = runtimeHome(path.join(root, 'h'));
  const regenerate = (): void => {
    const loaded = loadRuntimeConfig({ workspace, home: home.root, env: process.env });
    const errors = loaded.problems.filter((p) => p.severity === 'error').map(formatProblem);
    if (errors.length > 0) throw new Error(`configuration errors:\n${errors.join('\n')}`);
    writeConfigAuto(home.root, generateConfigAuto(loaded.config, { runtimeDir: RUNTIME_DIR, nodePath: process.execPath, redisServer: redisServer() }));
  };
  try {
    setup(workspace, root);
    regenerate();
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true });
    throw err;
  }
  // What `mfdata start` prepares before the supervisor runs (redis needs its data directory).
  for (const d of [home.redisDataDir, home.logDir, home.incomingDir]) fs.mkdirSync(d, { recursive: true });
  let child: ChildProcess = spawnSupervisor(home, workspace);
  const stopSupervisor = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
      await exited;
      clearTimeout(timer);
    }
  };
  const stop = async (): Promise<void> => {
    await stopSupervisor();
    fs.rmSync(root, { recursive: true, force: true });
  };
  const waitRunning = async (): Promise<void> => {
    const deadline = Date.now() + 30000;
    while (readStatusFile(home.statusFile) !== 'RUNNING') {
      if (child.exitCode !== null || Date.now() > deadline) {
        const why = stderrOf(child);
        await stop();
        throw new Error(`runtime did not start (status ${readStatusFile(home.statusFile)}): ${why}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await waitRunning();
  const restart = async (): Promise<void> => {
    await stopSupervisor();
    fs.rmSync(home.statusFile, { force: true });
    child = spawnSupervisor(home, workspace);
    await waitRunning();
  };
  return {
    root, workspace, home, regenerate, stop, restart,
    drop(dir, name, content) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name}.t`), content);
      fs.renameSync(path.join(dir, `${name}.t`), path.join(dir, name));
    },
  };
}

export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 20000, logDir?: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) {
      const logs = logDir && fs.existsSync(logDir)
        ? fs.readdirSync(logDir).filter((f) => f.endsWith('.log')).map((f) => `--- ${f}\n${fs.readFileSync(path.join(logDir, f), 'utf8').slice(-3000)}`).join('\n')
        : '';
      throw new Error(`timed out waiting for ${what}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  // A file listed may be gone by the time it is looked at (claimed or deleted by a worker): not a file then.
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile() ?? false).sort();
}
