// `mfdata plugins create NAME [--template T]`: a new workspace plugin from a template (`--list` shows them).
import * as path from 'node:path';
import { UsageError } from '../args';
import type { Command } from '../command';
import { createPlugin, listTemplates } from '../../plugins/create';
import { PluginToolError } from '../../plugins/errors';

export const pluginsCreateCommand: Command = {
  path: ['plugins', 'create'],
  summary: 'create a plugin in <workspace>/plugins/NAME from a template',
  usage: 'plugins create NAME [--template T] [--dir DIR] [--summary TEXT] [--version V] [--license L] [--url U] [--maintainer M] [--vendor V] | plugins create --list',
  options: [
    { name: 'template', alias: 't', value: true, description: 'template (default: default); see --list' },
    { name: 'list', description: 'list the templates' },
    { name: 'dir', value: true, description: 'create the plugin in this directory instead of <workspace>/plugins' },
    { name: 'summary', value: true, description: 'one-line summary (_summary)' },
    { name: 'version', value: true, description: 'first version (_version, default 1.0.0)' },
    { name: 'license', value: true, description: '_license' },
    { name: 'url', value: true, description: '_url' },
    { name: 'maintainer', value: true, description: '_maintainer (default: your user name)' },
    { name: 'vendor', value: true, description: '_vendor (default: your user name)' },
  ],
  async run(args, ctx) {
    if (args.options.list) {
      const templates = listTemplates();
      const width = Math.max(...templates.map((t) => t.name.length));
      for (const t of templates) ctx.stdout.write(`${t.name.padEnd(width)}  ${t.summary}\n`);
      return 0;
    }
    if (args.positionals.length !== 1) throw new UsageError('plugins create needs exactly one NAME');
    const str = (k: string): string | undefined => (typeof args.options[k] === 'string' ? (args.options[k] as string) : undefined);
    try {
      const created = createPlugin(args.positionals[0], {
        template: str('template'),
        parentDir: str('dir') ? path.resolve(str('dir') as string) : path.join(ctx.workspace, 'plugins'),
        summary: str('summary'), version: str('version'), license: str('license'), url: str('url'),
        maintainer: str('maintainer'), vendor: str('vendor'),
      });
      ctx.stdout.write(`created ${created.dir} (template ${created.template}):\n${created.files.map((f) => `  ${f}\n`).join('')}`);
      const test = `(cd ${path.relative(process.cwd(), created.dir) || '.'} && node --test test/plugin.test.mjs)`;
      const inWorkspace = path.dirname(created.dir) === path.join(ctx.workspace, 'plugins');
      // Outside <workspace>/plugins the runtime does not see it: built and installed, it is.
      ctx.stdout.write(inWorkspace
        ? `next: mfdata config check; mfdata start; ${test}\n`
        : `next: ${test}; it is not in the workspace's plugins/ folder, so the runtime does not run it: mfdata plugins build ${created.dir} && mfdata plugins install <the .plugin archive>\n`);
      return 0;
    } catch (err) {
      if (err instanceof PluginToolError) { ctx.stderr.write(`mfdata: ${err.message}\n`); return 1; }
      throw err;
    }
  },
};
