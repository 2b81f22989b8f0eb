// `mfdata config check`: every configuration problem as file:line:col lines; exit 1 when one is an error.
import type { CliContext, Command } from '../command';
import { formatProblem, hasErrors } from '../../config/errors';
import { loadRuntimeConfig } from '../../config/load';

export const configCheckCommand: Command = {
  path: ['config', 'check'],
  summary: 'check mfdata.ini, every plugin config.ini and the operator overrides',
  usage: 'config check',
  options: [],
  async run(_args, ctx: CliContext): Promise<number> {
    const { config, problems } = loadRuntimeConfig({ workspace: ctx.workspace, home: ctx.home, env: process.env });
    for (const p of problems) ctx.stdout.write(formatProblem(p) + '\n');
    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.length - errors;
    if (hasErrors(problems)) {
      ctx.stdout.write(`configuration has ${errors} error(s) and ${warnings} warning(s)\n`);
      return 1;
    }
    const steps = config.plugins.reduce((n, p) => n + p.steps.length, 0);
    ctx.stdout.write(`configuration OK: ${config.plugins.length} plugins, ${steps} steps${warnings ? ` (${warnings} warning(s))` : ''}\n`);
    return 0;
  },
};
