// `mfdata plugins info NAME|FILE`: metadata and files of an installed/workspace plugin or of a .plugin archive.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../args';
import type { Command } from '../command';
import { listReleaseFiles, readPluginArchive } from '../../plugins/archive';
import { readGeneral } from '../../plugins/metadata';
import { INSTALLED_METADATA } from '../../plugins/install';
import { PluginToolError } from '../../plugins/errors';
import { runtimeHome } from '../../home';

function lines(fields: [string, string | number][]): string {
  return fields.filter(([, v]) => v !== '').map(([k, v]) => `${`${k}:`.padEnd(12)} ${v}\n`).join('');
}

export const pluginsInfoCommand: Command = {
  path: ['plugins', 'info'],
  summary: 'show the metadata and files of a plugin (by name) or of a .plugin archive',
  usage: 'plugins info NAME|FILE [--json]',
  options: [{ name: 'json', description: 'print JSON' }],
  async run(args, ctx) {
    if (args.positionals.length !== 1) throw new UsageError('plugins info needs exactly one NAME or FILE');
    const arg = args.positionals[0];
    try {
      let fields: Record<string, string | number>;
      let files: string[];
      if (arg.endsWith('.plugin') || (fs.existsSync(arg) && fs.statSync(arg).isFile())) {
        const a = readPluginArchive(arg);
        fields = { ...a.metadata, source: a.file };
        files = a.files;
      } else {
        const candidates = [path.join(ctx.workspace, 'plugins', arg), path.join(runtimeHome(ctx.home).installedPluginsDir, arg)];
        const dir = candidates.find((d) => fs.existsSync(path.join(d, 'config.ini')));
        if (!dir) throw new PluginToolError(arg, 'no such plugin in the workspace or installed', 'see `mfdata plugins list`');
        const installed = path.join(dir, INSTALLED_METADATA);
        const meta = fs.existsSync(installed) ? (JSON.parse(fs.readFileSync(installed, 'utf8')) as Record<string, string | number>) : {};
        const general = readGeneral(dir, arg, ctx.home);
        fields = {
          ...meta, name: arg, version: general.version, release: general.release, summary: general.summary, license: general.license,
          url: general.url, vendor: general.vendor, maintainer: general.maintainer, home: dir,
          origin: dir === candidates[0] ? 'workspace' : 'installed',
        };
        files = listReleaseFiles(dir).filter((f) => f.stat.isFile()).map((f) => f.rel);
      }
      if (args.options.json) {
        ctx.stdout.write(JSON.stringify({ ...fields, files }, null, 2) + '\n');
        return 0;
      }
      ctx.stdout.write(lines(Object.entries(fields)));
      ctx.stdout.write(`files (${files.length}):\n${files.map((f) => `  ${f}\n`).join('')}`);
      return 0;
    } catch (err) {
      if (err instanceof PluginToolError) { ctx.stderr.write(`mfdata: ${err.message}\n`); return 1; }
      throw err;
    }
  },
};
