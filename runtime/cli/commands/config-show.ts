// `mfdata config show [--json] [file]`: the files `mfdata start` would write to tmp/config_auto, generated in memory.
import { UsageError, type ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { formatProblem, hasErrors } from '../../config/errors';
import { generateConfigAuto } from '../../config/generate';
import { loadRuntimeConfig } from '../../config/load';

export const configShowCommand: Command = {
  path: ['config', 'show'],
  summary: 'print the generated configuration (directory_observer.ini, redis.conf, watchers.json, plugins/*.json)',
  usage: 'config show [--json] [file]',
  options: [{ name: 'json', description: 'print {"<file>": "<content>"} as JSON' }],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    if (args.positionals.length > 1) throw new UsageError('config show takes at most one file name');
    const { config, problems } = loadRuntimeConfig({ workspace: ctx.workspace, home: ctx.home, env: process.env });
    // Problems go to stderr so that stdout stays the generated file (pipeable); plugins with errors are left out.
    for (const p of problems) ctx.stderr.write(formatProblem(p) + '\n');
    // The running bundle sits next to observer.js, worker.js and conf-monitor.js.
    const generated = generateConfigAuto(config, { runtimeDir: __dirname, nodePath: process.execPath });
    let files = generated.files;
    const wanted = args.positionals[0];
    if (wanted !== undefined) {
      files = files.filter((f) => f.path === wanted);
      if (files.length === 0) throw new UsageError(`no generated file '${wanted}' (files: ${generated.files.map((f) => f.path).join(', ')})`);
    }
    if (args.options.json) {
      ctx.stdout.write(JSON.stringify(Object.fromEntries(files.map((f) => [f.path, f.content])), null, 2) + '\n');
    } else if (wanted !== undefined) {
      ctx.stdout.write(files[0].content);
    } else {
      ctx.stdout.write(files.map((f) => `==> ${f.path} <==\n${f.content}`).join('\n'));
    }
    return hasErrors(problems) ? 1 : 0;
  },
};
