// `mfdata plugins install FILE`: a .plugin archive into <home>/var/plugins; a running runtime picks it up.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../args';
import type { Command } from '../command';
import { installPlugin } from '../../plugins/install';
import { notifyRuntime } from '../../plugins/notify';
import { PluginToolError } from '../../plugins/errors';

export const pluginsInstallCommand: Command = {
  path: ['plugins', 'install'],
  summary: 'install a .plugin archive into <home>/var/plugins (a running runtime starts its steps)',
  usage: 'plugins install FILE [--force] [--new-name NAME]',
  options: [
    { name: 'force', alias: 'f', description: 'replace an installed plugin of the same name' },
    { name: 'new-name', value: true, description: 'install under another name (e.g. a second switch instance)' },
  ],
  async run(args, ctx) {
    if (args.positionals.length !== 1) throw new UsageError('plugins install needs exactly one FILE');
    try {
      const newName = typeof args.options['new-name'] === 'string' ? (args.options['new-name'] as string) : undefined;
      const r = installPlugin(ctx.home, args.positionals[0], { force: args.options.force === true, newName });
      ctx.stdout.write(`${r.replaced ? 'replaced' : 'installed'} ${r.name} ${r.metadata.version}-${r.metadata.release} in ${r.dir}\n`);
      ctx.stdout.write(`${await notifyRuntime(ctx.workspace, ctx.home)}\n`);
      // A workspace plugin of that name wins (config check warns 'shadowed-plugin'): say it here too.
      const shadow = path.join(ctx.workspace, 'plugins', r.name);
      if (fs.existsSync(path.join(shadow, 'config.ini'))) {
        ctx.stdout.write(`note: the workspace plugin ${shadow} has the same name and is the one the runtime runs; this installed copy is hidden until it goes (or install with --new-name)\n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof PluginToolError) { ctx.stderr.write(`mfdata: ${err.message}\n`); return 1; }
      throw err;
    }
  },
};
