// `mfdata`: the runtime's command line. Dispatches to the sub-commands of runtime/cli/commands.
import { parseArgs, UsageError, type OptionSpec } from './args';
import type { Command, CliContext } from './command';
import { commands } from './commands';
import { findWorkspace, resolveHome } from './workspace';
import { RUNTIME_VERSION } from '../version';

const globalOptions: OptionSpec[] = [
  { name: 'home', value: true, description: 'runtime home (default: $MFDATA_HOME, else <workspace>/.mfdata)' },
  { name: 'workspace', value: true, description: 'workspace holding mfdata.ini and plugins/ (default: found from the current directory)' },
  { name: 'help', alias: 'h', description: 'show help' },
  { name: 'version', alias: 'V', description: 'show the version' },
];

function helpText(): string {
  const lines = [
    'mfdata: run MFDATA file-processing plugins (directory observer, Redis queues, supervised step workers).',
    '',
    'Usage: mfdata [--home DIR] [--workspace DIR] <command> [options]',
    '',
    'Commands:',
  ];
  const width = Math.max(10, ...commands.map((c) => c.path.join(' ').length));
  for (const c of commands) lines.push(`  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  lines.push('', 'Global options:');
  for (const o of globalOptions) lines.push(`  ${(`--${o.name}${o.value ? ' VALUE' : ''}`).padEnd(width)}  ${o.description}`);
  lines.push('', "Run 'mfdata <command> --help' for a command's options.");
  return lines.join('\n') + '\n';
}

/** The commands of a group (`plugins`, `config`, `trash`): what `mfdata <group>` alone shows. */
function groupHelp(group: string, members: readonly Command[]): string {
  const width = Math.max(...members.map((c) => c.path.join(' ').length));
  const lines = [`Usage: mfdata ${group} <command> [options]`, '', 'Commands:'];
  for (const c of members) lines.push(`  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  lines.push('', `Run 'mfdata ${group} <command> --help' for a command's options.`);
  return lines.join('\n') + '\n';
}

function commandHelp(c: Command): string {
  const lines = [`Usage: mfdata ${c.usage}`, '', c.summary];
  if (c.options.length > 0) {
    lines.push('', 'Options:');
    for (const o of c.options) {
      const flag = `${o.alias ? `-${o.alias}, ` : ''}--${o.name}${o.value ? ' VALUE' : ''}`;
      lines.push(`  ${flag.padEnd(24)}  ${o.description}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Picks the command whose path is the longest prefix of the non-option words. */
function selectCommand(argv: string[]): { command?: Command; rest: string[] } {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.every((word, i) => argv[i] === word) && (!best || c.path.length > best.path.length)) best = c;
  }
  return { command: best, rest: best ? argv.slice(best.path.length) : argv };
}

/** Splits the leading global options from the command words. */
function splitGlobal(argv: string[]): { global: string[]; rest: string[] } {
  const global: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) {
    const name = argv[i].replace(/^--?/, '').split('=')[0];
    const spec = globalOptions.find((o) => o.name === name || o.alias === name);
    if (!spec) break;
    global.push(argv[i]);
    if (spec.value && !argv[i].includes('=')) global.push(argv[++i]);
    i++;
  }
  return { global, rest: argv.slice(i) };
}

export async function main(argv: string[], io: Pick<CliContext, 'stdout' | 'stderr'> = process): Promise<number> {
  try {
    const { global, rest } = splitGlobal(argv);
    const g = parseArgs(global, globalOptions);
    if (g.options.version) {
      io.stdout.write(`mfdata ${RUNTIME_VERSION}\n`);
      return 0;
    }
    const { command, rest: commandArgs } = selectCommand(rest);
    if (!command) {
      const group = rest.length > 0 ? commands.filter((c) => c.path.length > 1 && c.path[0] === rest[0]) : [];
      if (group.length > 0) {
        // `mfdata plugins` (or `mfdata plugins --help`) asks which plugins commands there are.
        if (rest.length === 1 || g.options.help || rest[1] === '--help' || rest[1] === '-h') {
          io.stdout.write(groupHelp(rest[0], group));
          return 0;
        }
        io.stderr.write(`mfdata: unknown command '${rest.join(' ')}'\n\n${groupHelp(rest[0], group)}`);
        return 2;
      }
      if (rest.length === 0 || g.options.help) {
        io.stdout.write(helpText());
        return 0;
      }
      io.stderr.write(`mfdata: unknown command '${rest.join(' ')}'\n\n${helpText()}`);
      return 2;
    }
    const commandSpecs = [...command.options, { name: 'help', alias: 'h', description: 'show help' }];
    // Global options are also accepted after the command words.
    const parsed = parseArgs(commandArgs, [...commandSpecs, ...globalOptions.filter((o) => o.name === 'home' || o.name === 'workspace')]);
    if (parsed.options.help || g.options.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    const workspaceOption = (parsed.options.workspace ?? g.options.workspace) as string | undefined;
    const workspace = workspaceOption ? findWorkspace(workspaceOption) : findWorkspace(process.cwd());
    const home = resolveHome(workspace, (parsed.options.home ?? g.options.home) as string | undefined, process.env);
    return await command.run(parsed, { home, workspace, stdout: io.stdout, stderr: io.stderr });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`mfdata: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`mfdata: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  // A reader that went away (`mfdata trash list | head`, `mfdata logs | less` quit early) is not an error: stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { console.error(err); process.exitCode = 1; },
  );
}
