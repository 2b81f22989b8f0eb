// Starts the bundled runtime as its own process tree (`node dist/runtime/cli.js start`), never inside
// the extension host, and runs the other `mfdata` CLI commands the extension needs.
// No vscode import: settings arrive as plain values.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findExecutable as findRuntimeExecutable } from '../../runtime/util/find-executable';

export interface LauncherSettings {
  /** Node executable that runs the runtime ('' = `node` on PATH). */
  nodePath: string;
  /** redis-server executable ('' = found on PATH). */
  redisServerPath: string;
}

export interface RuntimeLocation {
  workspace: string;
  home: string;
}

export class RuntimeLaunchError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(output.trim() ? `${message}\n${output.trim()}` : message);
    this.name = 'RuntimeLaunchError';
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Looks an executable up: an explicit path must exist; a bare name is searched on PATH (the runtime's own lookup). */
export function findExecutable(nameOrPath: string, envPath = process.env.PATH ?? ''): string | undefined {
  return findRuntimeExecutable(nameOrPath, envPath);
}

export class RuntimeLauncher {
  /**
   * @param runtimeDir the bundled runtime (`<extension>/dist/runtime`), holding cli.js and the other entry points
   * @param settings read on every call, so a changed setting applies to the next start
   */
  constructor(
    private readonly runtimeDir: string,
    private readonly settings: () => LauncherSettings,
  ) {}

  get cliPath(): string {
    return path.join(this.runtimeDir, 'cli.js');
  }

  /** The redis-server the runtime would use, or undefined when there is none. */
  redisServer(): string | undefined {
    const configured = this.settings().redisServerPath;
    return findExecutable(configured || 'redis-server');
  }

  nodeExecutable(): string {
    return this.settings().nodePath || 'node';
  }

  /** Environment of every runtime process started from the extension. */
  environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    const redis = this.redisServer();
    if (redis) env.MFDATA_REDIS_SERVER = redis;
    // The extension host may run under Electron; the runtime must be plain Node.
    delete env.ELECTRON_RUN_AS_NODE;
    return env;
  }

  /**
   * `mfdata start`. Whether the command daemonizes the supervisor or stays in the foreground as the
   * supervisor, the process is detached from the extension host with its output in
   * `<home>/log/mfdata-start.log`, so the runtime outlives a reload of the window.
   * Resolves once `ready()` says the control socket answers (or the command exits 0 and then ready() does);
   * rejects with the command's output when it exits with an error first.
   */
  async start(where: RuntimeLocation, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    if (!this.redisServer()) {
      throw new RuntimeLaunchError(
        'redis-server not found: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set mfdata.redisServerPath',
        '',
      );
    }
    const logDir = path.join(where.home, 'log');
    fs.mkdirSync(logDir, { recursive: true });
    const logFile = path.join(logDir, 'mfdata-start.log');
    const fd = fs.openSync(logFile, 'w');
    const argv = [this.cliPath, '--home', where.home, '--workspace', where.workspace, 'start'];
    const child = spawn(this.nodeExecutable(), argv, { cwd: where.workspace, env: this.environment(), detached: true, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    child.unref();
    const output = (): string => { try { return fs.readFileSync(logFile, 'utf8'); } catch { return ''; } };
    let exit: { code: number | null; error?: Error } | undefined;
    child.on('error', (error) => { exit = { code: null, error }; });
    child.on('exit', (code) => { exit = { code }; });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exit?.error) throw new RuntimeLaunchError(`cannot run ${this.nodeExecutable()} (set mfdata.nodePath): ${exit.error.message}`, '');
      if (exit && exit.code !== 0) throw new RuntimeLaunchError(`mfdata start failed (exit ${exit.code}); see ${logFile}`, output());
      if (await ready()) return;
      if (Date.now() > deadline) throw new RuntimeLaunchError(`the runtime did not answer on its control socket within ${timeoutMs / 1000} s; see ${logFile}`, output());
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /**
   * Runs one CLI command (`mfdata --home H --workspace W <args>`) to completion.
   */
  cli(where: RuntimeLocation, args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
    const argv = [this.cliPath, '--home', where.home, '--workspace', where.workspace, ...args];
    return new Promise((resolve, reject) => {
      const child = spawn(this.nodeExecutable(), argv, {
        cwd: where.workspace,
        env: this.environment(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new RuntimeLaunchError(`cannot run ${this.nodeExecutable()} (set mfdata.nodePath): ${err.message}`, ''));
      });
      child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
    });
  }
}
