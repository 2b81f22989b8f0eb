// One supervised OS process: spawned from an argument vector in its own process group, its output
// split into lines, stopped gracefully (stop signal, then SIGKILL to the whole group after a timeout).
import { spawn, type ChildProcess } from 'node:child_process';
import type { ExitInfo } from './protocol';
import type { StopSignal } from './watcher-spec';

export interface ProcessExit extends ExitInfo {
  /** Set when the process could not be spawned at all (ENOENT, EACCES...). */
  spawnError?: string;
}

export interface SpawnRequest {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Every complete output line (without the newline), in order per stream. */
  onLine(stream: 'stdout' | 'stderr', line: string): void;
}

/** A partial line longer than this is written out as it is rather than buffered forever. */
const MAX_PARTIAL_LINE = 64 * 1024;
/** After the process exits, how long to wait for the rest of its output before giving up on it. */
const DRAIN_AFTER_EXIT_MS = 200;

export class ManagedProcess {
  readonly startedAt = Date.now();
  readonly pid: number | undefined;
  /** Resolves once the process has exited (or failed to spawn) and its output was read. */
  readonly exited: Promise<ProcessExit>;
  /** The last non-empty line written to stderr: what `failed` watchers report. */
  lastStderrLine: string | undefined;
  /** Set by the watcher once the process wrote the readiness line (runtime/util/ready.ts). */
  ready = false;
  private exitInfo: ProcessExit | undefined;
  private stopping: Promise<ProcessExit> | undefined;
  private readonly child: ChildProcess;

  private constructor(req: SpawnRequest) {
    // detached: the process leads its own group, so a stop reaches its children too, and the
    // processes of a SIGKILLed supervisor can still be found (and killed) by their group id.
    this.child = spawn(req.command, [...req.args], {
      cwd: req.cwd,
      env: req.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      let settled = false;
      const settle = (info: ProcessExit): void => {
        if (settled) return;
        settled = true;
        this.exitInfo = info;
        resolve(info);
      };
      let outputClosed = false;
      this.child.on('close', () => { outputClosed = true; });
      this.child.on('error', (err) => {
        // 'error' without a pid means the spawn itself failed; 'exit' will not follow.
        if (this.pid === undefined) settle({ code: null, signal: null, at: Date.now(), spawnError: `${err.message}` });
      });
      this.child.on('exit', (code, signal) => {
        const info: ProcessExit = { code, signal, at: Date.now() };
        if (outputClosed) settle(info);
        else {
          const timer = setTimeout(() => settle(info), DRAIN_AFTER_EXIT_MS);
          this.child.once('close', () => { clearTimeout(timer); settle(info); });
        }
      });
    });
    this.pipeLines(this.child.stdout, 'stdout', req.onLine);
    this.pipeLines(this.child.stderr, 'stderr', (stream, line) => {
      if (line.trim() !== '') this.lastStderrLine = line.trim();
      req.onLine(stream, line);
    });
  }

  static spawn(req: SpawnRequest): ManagedProcess {
    return new ManagedProcess(req);
  }

  get running(): boolean {
    return this.pid !== undefined && this.exitInfo === undefined;
  }

  /**
   * Sends `signal` to the process group, then SIGKILL after `gracefulSeconds` if it is still alive.
   * Idempotent: a second call waits for the first stop.
   */
  stop(signal: StopSignal, gracefulSeconds: number): Promise<ProcessExit> {
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      if (!this.running) return this.exited;
      this.signalGroup(signal);
      const timer = setTimeout(() => this.signalGroup('SIGKILL'), Math.max(0, gracefulSeconds) * 1000);
      const info = await this.exited;
      clearTimeout(timer);
      return info;
    })();
    return this.stopping;
  }

  /** Kills whatever is left of the process group (children that outlived their leader). */
  killGroupRemains(): void {
    if (this.pid !== undefined) this.trySignal(-this.pid, 'SIGKILL');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    // The group may already be gone while the leader is a zombie; fall back to the pid itself.
    if (!this.trySignal(-this.pid, signal)) this.trySignal(this.pid, signal);
  }

  private trySignal(target: number, signal: NodeJS.Signals): boolean {
    try {
      process.kill(target, signal);
      return true;
    } catch {
      return false;
    }
  }

  private pipeLines(stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr', onLine: SpawnRequest['onLine']): void {
    if (!stream) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      partial += chunk;
      let nl = partial.indexOf('\n');
      while (nl !== -1) {
        onLine(name, partial.slice(0, nl));
        partial = partial.slice(nl + 1);
        nl = partial.indexOf('\n');
      }
      if (partial.length > MAX_PARTIAL_LINE) {
        onLine(name, partial);
        partial = '';
      }
    });
    stream.on('end', () => {
      if (partial !== '') onLine(name, partial);
      partial = '';
    });
  }
}
