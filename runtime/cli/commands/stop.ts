// `mfdata stop`: stops the runtime gracefully and in order (redis last), and waits until nothing is left.
import type { ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { runtimeHome } from '../../home';
import { RuntimeStopError, stopRuntime } from '../../supervisor/launch';

const DEFAULT_TIMEOUT_S = 300;

export const stopCommand: Command = {
  path: ['stop'],
  summary: 'stop the runtime gracefully (observer and conf_monitor first, step workers, then redis)',
  usage: 'stop [--timeout SECONDS]',
  options: [{ name: 'timeout', value: true, description: `seconds to wait for everything to stop (default ${DEFAULT_TIMEOUT_S})` }],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const home = runtimeHome(ctx.home);
    const timeoutS = args.options.timeout !== undefined ? Number(args.options.timeout) : DEFAULT_TIMEOUT_S;
    try {
      const stopped = await stopRuntime(home, timeoutS * 1000);
      // Stopping a stopped runtime is not an error (exit 0), as for an init script.
      ctx.stdout.write(stopped ? 'mfdata stopped\n' : 'mfdata is not running\n');
      return 0;
    } catch (err) {
      if (!(err instanceof RuntimeStopError)) throw err;
      ctx.stderr.write(`mfdata stop: ${err.message}\n`);
      return 1;
    }
  },
};
