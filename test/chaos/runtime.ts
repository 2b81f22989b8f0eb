// A real runtime for the chaos suite: a temp workspace with the chaos plugin, a home (optionally on a small tmpfs),
// started and stopped with the `mfdata` CLI (detached supervisor), and the processes a fault can hit.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { runtimeHome, type RuntimeHome } from '../../runtime/home';
import { controlRequest, type RequestBody } from '../../runtime/supervisor/control-client';
import type { RuntimeStatus, WatcherStatus } from '../../runtime/supervisor/protocol';
import { CLI_JS, waitFor } from '../datapath/harness';
import { DEFAULT_STEP, PLUGIN, STEP, writeChaosPlugin, type StepSettings } from './plugin';

export interface RuntimeOptions {
  step?: Partial<StepSettings>;
  /** Mount a tmpfs of this many MiB as the runtime home (root only; see tmpfsAvailable()). */
  tmpfsMiB?: number;
  /** Extra mfdata.ini lines (sections included). */
  mfdataIni?: string[];
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class ChaosRuntime {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-chaos-'));
  readonly workspace = path.join(this.dir, 'ws');
  readonly home: RuntimeHome;
  /** Outside the home, so a full home file system never hides a delivery. */
  readonly outDir = path.join(this.dir, 'out');
  readonly logDir = path.join(this.dir, 'deliveries');
  readonly step: StepSettings;
  readonly inbox: string;
  readonly mounted: boolean;
  /** Injected entries documented to stay where they were dropped (name → absolute path): a final place, not a leftover. */
  readonly leftInPlace = new Map<string, string>();
  /** Queues a scenario documents as left with messages (a removed plugin's): not counted as left behind. */
  readonly ignoredQueues = new Set<string>();
  private redisClient: Redis | undefined;

  constructor(readonly options: RuntimeOptions = {}) {
    const homeDir = path.join(this.dir, 'home');
    fs.mkdirSync(homeDir);
    this.mounted = false;
    if (options.tmpfsMiB !== undefined) {
      const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${options.tmpfsMiB}m,mode=0700`, 'tmpfs', homeDir], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`cannot mount a ${options.tmpfsMiB} MiB tmpfs on ${homeDir}: ${r.stderr || r.error?.message}`);
      this.mounted = true;
    }
    this.home = runtimeHome(homeDir);
    fs.mkdirSync(this.outDir);
    fs.mkdirSync(this.logDir);
    this.step = { ...DEFAULT_STEP, ...options.step };
    writeChaosPlugin(this.workspace, this.step, this.outDir, this.logDir);
    fs.writeFileSync(path.join(this.workspace, 'mfdata.ini'), [
      '[internal_plugins]', 'install_switch = 0', 'install_guess_file_type = 0', '', ...(options.mfdataIni ?? []), '',
    ].join('\n'));
    this.inbox = path.join(this.home.inDir, `step.${PLUGIN}.${STEP}`);
  }

  /** Runs `mfdata --home H --workspace W <args>` to its end. */
  cli(args: string[], timeoutMs = 180_000): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_JS, '--home', this.home.root, '--workspace', this.workspace, ...args], {
        cwd: this.workspace, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MFDATA_HOME: this.home.root },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`mfdata ${args.join(' ')} took more than ${timeoutMs} ms`)); }, timeoutMs);
      child.once('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, stdout, stderr }); });
    });
  }

  /** `mfdata start`; throws with its output unless it exits 0. */
  async start(): Promise<void> {
    const r = await this.cli(['start', '--timeout', '120']);
    if (r.code !== 0) throw new Error(`mfdata start exited ${r.code}: ${r.stderr || r.stdout}`);
    await waitFor('observer watching', () => this.logContains('directory_observer.log', 'directory observer started'), 60_000, 50);
  }

  logContains(file: string, text: string): boolean {
    try {
      return fs.readFileSync(path.join(this.home.logDir, file), 'utf8').includes(text);
    } catch {
      return false;
    }
  }

  request(body: RequestBody): Promise<unknown> {
    return controlRequest(this.home.supervisorSocket, body);
  }

  async status(): Promise<RuntimeStatus | undefined> {
    return (await this.request({ cmd: 'status' }).catch(() => undefined)) as RuntimeStatus | undefined;
  }

  async watcher(name: string): Promise<WatcherStatus | undefined> {
    return (await this.status())?.watchers.find((w) => w.name === name);
  }

  /** Pids of a watcher's live processes (empty when the supervisor does not answer). */
  async pids(name: string): Promise<number[]> {
    return (await this.watcher(name))?.processes.map((p) => p.pid) ?? [];
  }

  stepWatcher(plugin = PLUGIN, step = STEP): string {
    return `step.${plugin}.${step}`;
  }

  supervisorPid(): number | undefined {
    try {
      const pid = Number.parseInt(fs.readFileSync(this.home.supervisorLock, 'utf8'), 10);
      return Number.isInteger(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** A client on the runtime's own Redis (reconnects by itself after a restart). */
  redis(): Redis {
    if (!this.redisClient) {
      this.redisClient = new Redis({ path: this.home.redisSocket, maxRetriesPerRequest: 1, lazyConnect: false });
      this.redisClient.on('error', () => undefined);
    }
    return this.redisClient;
  }

  /** Every `step.*` list with its length (undefined when Redis does not answer). */
  async queueLengths(): Promise<Map<string, number> | undefined> {
    try {
      const r = this.redis();
      const keys = await r.keys('step.*');
      const out = new Map<string, number>();
      for (const k of keys) {
        if (this.ignoredQueues.has(k)) continue;
        if ((await r.type(k)) === 'list') out.set(k, await r.llen(k));
      }
      return out;
    } catch {
      return undefined;
    }
  }

  /**
   * Stops the runtime (`mfdata stop`), then SIGKILLs any process still naming this home in its command line
   * (orphans of a killed supervisor), unmounts the tmpfs and removes every file. Returns the pids that had to
   * be killed: a scenario reports them, since a clean stop leaves none.
   */
  async close(): Promise<number[]> {
    this.redisClient?.disconnect();
    this.redisClient = undefined;
    await this.cli(['stop', '--timeout', '60'], 90_000).catch(() => undefined);
    const leftovers = processesNaming(this.dir);
    for (const pid of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    if (leftovers.length > 0) await waitFor('left-over processes gone', () => processesNaming(this.dir).length === 0, 10_000, 50).catch(() => undefined);
    if (this.mounted) spawnSync('umount', ['-l', this.home.root]);
    fs.rmSync(this.dir, { recursive: true, force: true });
    return leftovers;
  }
}

/** Pids of live processes (other than us) whose command line or working directory mentions `text`. */
export function processesNaming(text: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      let cwd = '';
      try {
        cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // another user's process
      }
      if (cmdline.includes(text) || cwd.startsWith(text)) found.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** True when this process may mount a tmpfs (root on Linux). */
export function tmpfsAvailable(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
}
