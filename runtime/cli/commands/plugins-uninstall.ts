// `mfdata plugins uninstall NAME [--clean]`: removes an installed plugin; a running runtime stops its steps.
import { UsageError } from '../args';
import type { Command } from '../command';
import { uninstallPlugin } from '../../plugins/install';
import { notifyRuntime } from '../../plugins/notify';
import { PluginToolError } from '../../plugins/errors';
import { waitingFilesOf } from '../../plugins/waiting';
import { runtimeHome } from '../../home';

export const pluginsUninstallCommand: Command = {
  path: ['plugins', 'uninstall'],
  summary: 'remove an installed plugin (a running runtime stops its steps)',
  usage: 'plugins uninstall NAME [--clean]',
  options: [{ name: 'clean', description: 'also remove the operator override <home>/config/plugins/NAME.ini' }],
  async run(args, ctx) {
    if (args.positionals.length !== 1) throw new UsageError('plugins uninstall needs exactly one NAME');
    try {
      const r = uninstallPlugin(ctx.home, args.positionals[0], { clean: args.options.clean === true });
      ctx.stdout.write(`uninstalled ${r.name} (${r.dir})${r.removedOverride ? `, removed ${r.removedOverride}` : ''}\n`);
      ctx.stdout.write(`${await notifyRuntime(ctx.workspace, ctx.home)}\n`);
      const waiting = waitingFilesOf(runtimeHome(ctx.home), r.name);
      if (waiting.count > 0) {
        ctx.stdout.write(`${waiting.count} file(s) of ${r.name} are still in ${waiting.dirs.join(', ')}: no worker takes them while the plugin is not installed (install it again to process them, or move them away)\n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof PluginToolError) { ctx.stderr.write(`mfdata: ${err.message}\n`); return 1; }
      throw err;
    }
  },
};
