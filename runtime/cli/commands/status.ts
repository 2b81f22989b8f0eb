// `mfdata status [--json]`: the supervisor's view of every watcher; non-zero when something failed or nothing runs.
import type { ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { runtimeHome } from '../../home';
import { ControlClient, NotRunningError } from '../../supervisor/control-client';
import { renderStatus } from '../../supervisor/status-table';

/** Exit codes of `mfdata status` (3 = not running, as LSB init scripts say). */
export const STATUS_EXIT = { running: 0, failed: 1, notRunning: 3 } as const;

export const statusCommand: Command = {
  path: ['status'],
  summary: 'show every watcher: state, pids, uptime, restarts, last exit (exit 1 if any failed, 3 if not running)',
  usage: 'status [--json]',
  options: [{ name: 'json', description: 'print the RuntimeStatus object of the control protocol' }],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const home = runtimeHome(ctx.home);
    let client: ControlClient;
    try {
      client = await ControlClient.connect(home.supervisorSocket);
    } catch (err) {
      if (!(err instanceof NotRunningError)) throw err;
      if (args.options.json === true) ctx.stdout.write(`${JSON.stringify({ home: home.root, state: 'stopped' })}\n`);
      else ctx.stdout.write(`mfdata is not running (home ${home.root})\n`);
      return STATUS_EXIT.notRunning;
    }
    try {
      const status = await client.status();
      ctx.stdout.write(args.options.json === true ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status));
      const unhealthy = status.watchers.some((w) => w.state === 'failed' || w.state === 'backoff') || status.state === 'degraded';
      return unhealthy ? STATUS_EXIT.failed : STATUS_EXIT.running;
    } finally {
      client.close();
    }
  },
};
