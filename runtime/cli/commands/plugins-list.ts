// `mfdata plugins list [--json]`: every plugin of the workspace and the home, with version, origin and directory.
import * as fs from 'node:fs';
import type { ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { loadRuntimeConfig } from '../../config/load';
import { getEntry, getSection, parseIni } from '../../config/ini-parser';
import { discoverPlugins } from '../../config/plugins';

/** `_version`/`_release` as written, for a plugin whose configuration has errors. */
function writtenMetadata(configFile: string): { version: string; release: string } {
  try {
    const general = getSection(parseIni(fs.readFileSync(configFile), configFile), 'general');
    return { version: getEntry(general, '_version')?.value || '?', release: getEntry(general, '_release')?.value || '1' };
  } catch {
    return { version: '?', release: '?' };
  }
}

export interface PluginRow {
  name: string;
  version: string;
  release: string;
  /** `workspace` (devlinked) or `installed`. */
  origin: string;
  home: string;
  steps: string[];
  /** False when the plugin's configuration has errors (`mfdata config check` lists them). */
  valid: boolean;
}

export function pluginRows(workspace: string, home: string): PluginRow[] {
  const { config } = loadRuntimeConfig({ workspace, home, env: process.env });
  return discoverPlugins(workspace, home).plugins.map((found) => {
    const p = config.plugins.find((x) => x.name === found.name);
    const written = p ? { version: p.version, release: p.release } : writtenMetadata(found.configFile);
    return {
      name: found.name,
      version: written.version,
      release: written.release,
      origin: found.origin,
      home: found.dir,
      steps: p?.steps.map((s) => s.name) ?? [],
      valid: p !== undefined,
    };
  });
}

/** Left-aligned columns separated by two spaces. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

export const pluginsListCommand: Command = {
  path: ['plugins', 'list'],
  summary: 'list the plugins (workspace devlinks and installed ones)',
  usage: 'plugins list [--json]',
  options: [{ name: 'json', description: 'print JSON instead of a table' }],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const rows = pluginRows(ctx.workspace, ctx.home);
    if (args.options.json) {
      ctx.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return 0;
    }
    if (rows.length === 0) {
      ctx.stdout.write(`no plugins (looked in ${ctx.workspace}/plugins and ${ctx.home}/var/plugins)\n`);
      return 0;
    }
    ctx.stdout.write(formatTable(['Name', 'Version', 'Release', 'Origin', 'Home'],
      rows.map((r) => [r.name + (r.valid ? '' : ' (invalid)'), r.version, r.release, r.origin, r.home])));
    return 0;
  },
};
