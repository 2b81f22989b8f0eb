// `mfdata plugins build [NAME|DIR]`: the plugin's `<name>-<version>-<release>.plugin` archive.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { buildPluginArchive } from '../../plugins/archive';
import { PluginToolError } from '../../plugins/errors';

/** A plugin given as a directory, a workspace plugin name, or (nothing) the current directory. */
export function resolvePluginDir(arg: string | undefined, ctx: CliContext): string {
  if (arg === undefined) return process.cwd();
  if (arg.includes('/') || arg === '.' || arg === '..') return path.resolve(arg);
  const inWorkspace = path.join(ctx.workspace, 'plugins', arg);
  return fs.existsSync(inWorkspace) ? inWorkspace : path.resolve(arg);
}

export const pluginsBuildCommand: Command = {
  path: ['plugins', 'build'],
  summary: 'build the .plugin archive of a plugin (honours .releaseignore)',
  usage: 'plugins build [NAME|DIR] [--output DIR]',
  options: [{ name: 'output', alias: 'o', value: true, description: 'directory receiving the archive (default: the plugin directory)' }],
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new UsageError('plugins build takes at most one plugin');
    const dir = resolvePluginDir(args.positionals[0], ctx);
    try {
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
