// `mfdata restart [watcher]`: restarts one watcher through the supervisor, or the whole runtime (configuration checked first).
import type { ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { runtimeHome } from '../../home';
import { runningSupervisorPid } from '../../supervisor/launch';
import { checkConfiguration } from '../../supervisor/regenerate';
import { ControlError, controlRequest, NotRunningError } from '../../supervisor/control-client';
import type { WatcherStatus } from '../../supervisor/protocol';
import { START_EXIT, startCommand } from './start';
import { stopCommand } from './stop';

export const restartCommand: Command = {
  path: ['restart'],
  summary: 'restart one watcher (e.g. step.<plugin>.<step>), or stop and start the whole runtime',
  usage: 'restart [WATCHER] [--foreground] [--timeout SECONDS] [--no-generate]',
  options: startCommand.options,
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const watcher = args.positionals[0];
    if (watcher === undefined) {
      // Checked before the stop: a configuration start would refuse must not turn a restart into an outage.
      if (args.options['no-generate'] !== true) {
        const { errors } = checkConfiguration(ctx.workspace, runtimeHome(ctx.home).root);
        if (errors.length > 0) {
          for (const e of errors) ctx.stderr.write(`${e}\n`);
          const pid = runningSupervisorPid(runtimeHome(ctx.home));
          const kept = pid !== undefined ? `the runtime keeps running as it was (pid ${pid})` : 'nothing was started';
          ctx.stderr.write(`mfdata restart: refusing to restart: ${errors.length} configuration error${errors.length > 1 ? 's' : ''}; ${kept}. Fix them (mfdata config check) and restart again\n`);
          return START_EXIT.configErrors;
        }
      }
      const stopped = await stopCommand.run({ positionals: [], options: {} }, ctx);
      if (stopped !== 0) return stopped;
      return startCommand.run(args, ctx);
    }
    const home = runtimeHome(ctx.home);
    try {
      const status = (await controlRequest(home.supervisorSocket, { cmd: 'restart', watcher })) as WatcherStatus;
      const pids = status.processes.map((p) => p.pid).join(',') || '-';
      ctx.stdout.write(`${status.name}: ${status.state} (pids ${pids})${status.lastError && status.state === 'failed' ? `: ${status.lastError}` : ''}\n`);
      return status.state === 'failed' ? 1 : 0;
    } catch (err) {
      if (err instanceof NotRunningError || err instanceof ControlError) {
        ctx.stderr.write(`mfdata restart: ${err.message}\n`);
        return err instanceof NotRunningError ? 3 : 1;
      }
      throw err;
    }
  },
};
