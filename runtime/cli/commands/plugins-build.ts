// `mfdata plugins build [NAME|DIR]`: the plugin's `<name>-<version>-<release>.plugin` archive (NAME: a workspace plugin).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { buildPluginArchive } from '../../plugins/archive';
import { PluginToolError } from '../../plugins/errors';

/**
 * The plugin directory an argument names: a plugin of the workspace (`<workspace>/plugins/NAME`) first, then a
 * directory (relative to the current one); nothing is the current directory. A name neither is an error saying both.
 */
export function resolvePluginDir(arg: string | undefined, ctx: CliContext): string {
  if (arg === undefined) return process.cwd();
  const dir = path.resolve(arg);
  if (arg.includes('/') || arg === '.' || arg === '..') return dir;
  const inWorkspace = path.join(ctx.workspace, 'plugins', arg);
  const isPlugin = (d: string): boolean => fs.existsSync(path.join(d, 'config.ini'));
  if (isPlugin(inWorkspace)) return inWorkspace;
  if (isPlugin(dir)) return dir;
  throw new PluginToolError(arg, `no plugin of that name in the workspace (${inWorkspace}) nor a plugin directory ${dir} (no config.ini in either)`,
    'name a plugin of `mfdata plugins list`, or give the path of a directory holding config.ini');
}

export const pluginsBuildCommand: Command = {
  path: ['plugins', 'build'],
  summary: 'build the .plugin archive of a plugin (honours .releaseignore)',
  usage: 'plugins build [NAME|DIR] [--output DIR]',
  options: [{ name: 'output', alias: 'o', value: true, description: 'directory receiving the archive (default: the plugin directory)' }],
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new UsageError('plugins build takes at most one plugin');
    try {
      const dir = resolvePluginDir(args.positionals[0], ctx);
      const output = typeof args.options.output === 'string' ? path.resolve(args.options.output) : undefined;
      const built = buildPluginArchive(dir, { home: ctx.home, outputDir: output });
      ctx.stdout.write(`${built.file}\n  ${built.files.length} files, ${built.metadata.size} bytes, version ${built.metadata.version}-${built.metadata.release}\n`);
      return 0;
    } catch (err) {
      if (err instanceof PluginToolError) { ctx.stderr.write(`mfdata: ${err.message}\n`); return 1; }
      throw err;
    }
  },
};
