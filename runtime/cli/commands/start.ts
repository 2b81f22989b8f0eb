// `mfdata start [--foreground]`: generates tmp/config_auto (refusing on configuration errors), starts
// the supervisor and returns once every autostart watcher runs, or exits non-zero naming what failed.
import { spawn } from 'node:child_process';
import type { ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { runtimeHome, type RuntimeHome } from '../../home';
import { RuntimeStartError, runningSupervisorPid, spawnDetachedSupervisor, supervisorArgs, waitForStartup } from '../../supervisor/launch';
import { regenerateConfigAuto } from '../../supervisor/regenerate';
import { checkSocketPath, SocketPathTooLongError } from '../../supervisor/socket-path';
import { formatDuration } from '../../supervisor/status-table';

/** Exit codes of `mfdata start`. */
export const START_EXIT = { ok: 0, failed: 1, configErrors: 4 } as const;

const DEFAULT_TIMEOUT_S = 60;

export const startCommand: Command = {
  path: ['start'],
  summary: 'start the runtime (redis, observer, conf_monitor, step workers) and wait until it is up',
  usage: 'start [--foreground] [--timeout SECONDS] [--no-generate]',
  options: [
    { name: 'foreground', description: 'run the supervisor in this terminal (Ctrl-C stops everything)' },
    { name: 'timeout', value: true, description: `seconds to wait for the runtime to be up (default ${DEFAULT_TIMEOUT_S})` },
    { name: 'no-generate', description: 'use the existing tmp/config_auto as it is (hand-edited, for debugging) instead of regenerating it' },
  ],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const home = runtimeHome(ctx.home);
    try {
      checkSocketPath(home.supervisorSocket);
    } catch (err) {
      if (err instanceof SocketPathTooLongError) {
        ctx.stderr.write(`mfdata start: ${err.message}\n`);
        return START_EXIT.failed;
      }
      throw err;
    }
    const running = runningSupervisorPid(home);
    if (running !== undefined) {
      // As an init script: starting a running service is not an error.
      ctx.stdout.write(`mfdata: already running (pid ${running})\n`);
      return START_EXIT.ok;
    }
    if (args.options['no-generate'] !== true) {
      const { errors, warnings } = regenerateConfigAuto(ctx.workspace, home.root);
      for (const w of warnings) ctx.stderr.write(`${w}\n`);
      if (errors.length > 0) {
        for (const e of errors) ctx.stderr.write(`${e}\n`);
        ctx.stderr.write(`mfdata start: refusing to start: ${errors.length} configuration error${errors.length > 1 ? 's' : ''}\n`);
        return START_EXIT.configErrors;
      }
    }
    if (args.options.foreground === true) return runForeground(home, ctx);

    const timeoutS = args.options.timeout !== undefined ? Number(args.options.timeout) : DEFAULT_TIMEOUT_S;
    if (!(timeoutS > 0)) {
      ctx.stderr.write(`mfdata start: --timeout must be a positive number of seconds, got '${String(args.options.timeout)}'\n`);
      return START_EXIT.failed;
    }
    const { child, stderrFile } = spawnDetachedSupervisor(home, ctx.workspace);
    try {
      const status = await waitForStartup(home, child, stderrFile, timeoutS * 1000);
      const running = status.watchers.filter((w) => w.state === 'running');
      const processes = running.reduce((n, w) => n + w.processes.length, 0);
      ctx.stdout.write(`mfdata started (supervisor pid ${status.pid}): ${running.length} watchers, ${processes} processes, in ${formatDuration(Date.now() - status.startedAt)}\n`);
      return START_EXIT.ok;
    } catch (err) {
      if (!(err instanceof RuntimeStartError)) throw err;
      ctx.stderr.write(`mfdata start: ${err.message}\n`);
      if (err.status) ctx.stderr.write("The supervisor keeps running: see 'mfdata status' and 'mfdata logs', stop it with 'mfdata stop'.\n");
      return START_EXIT.failed;
    }
  },
};

/** The supervisor as a child with this terminal; Ctrl-C (SIGINT to the group) stops it in order. */
function runForeground(home: RuntimeHome, ctx: CliContext): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, supervisorArgs(home, ctx.workspace, true), { cwd: ctx.workspace, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => (): void => { child.kill(signal); };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
