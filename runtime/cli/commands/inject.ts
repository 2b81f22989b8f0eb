// `mfdata inject FILE --plugin P [--step S] [--move] [--random-basename]`: hands a file to a step's inbox, never replacing one.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, type ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import type { PluginConfig } from '../../config/model';
import { declaredSteps, discoverPlugins } from '../../config/plugins';
import { loadRuntimeConfig } from '../../config/load';
import { MODULE_CONFIG_FILE } from '../../config/module-config';
import { runtimeHome, stepInbox } from '../../home';
import { compileNameRefusal, type NameRefusal } from '../../observer/name-filter';
import { readObserverConfig } from '../../observer/observer-config';
import { moveIntoInbox } from '../../tags/inbox-name';
import { renameOrCopy } from '../../tags/tagged-file';
import { fitName } from '../../util/name-max';

/** The plugin's steps, from the generated config of a running runtime, else from its config.ini. */
function stepsOf(pluginName: string, ctx: CliContext): string[] | undefined {
  const home = runtimeHome(ctx.home);
  const generated = path.join(home.configAutoDir, 'plugins', `${pluginName}.json`);
  try {
    const plugin = JSON.parse(fs.readFileSync(generated, 'utf8')) as PluginConfig;
    return plugin.steps.map((s) => s.name);
  } catch {
    const found = discoverPlugins(ctx.workspace, home.root).plugins.find((p) => p.name === pluginName);
    return found ? declaredSteps(found).map((ps) => ps.slice(pluginName.length + 1)) : undefined;
  }
}

/**
 * The directory observer's name filter for `inbox`, and where it is set: the generated directory_observer.ini the
 * observer runs with, else (not generated yet, or the step not in it) the [directory_observer] of mfdata.ini.
 */
function observerFilter(ctx: CliContext, inbox: string): { whyIgnored: NameRefusal; source: string } {
  const home = runtimeHome(ctx.home);
  const generated = path.join(home.configAutoDir, 'directory_observer.ini');
  if (fs.existsSync(generated)) {
    const section = readObserverConfig(generated).sections.find((s) => path.resolve(s.directory) === path.resolve(inbox));
    if (section) return { whyIgnored: section.whyIgnored, source: `[${section.name}] of ${generated}, from [directory_observer] of ${MODULE_CONFIG_FILE}` };
  }
  const { only, ignore } = loadRuntimeConfig({ workspace: ctx.workspace, home: home.root, env: process.env }).config.module.directoryObserver;
  return { whyIgnored: compileNameRefusal(only, ignore), source: `[directory_observer] of ${path.join(ctx.workspace, MODULE_CONFIG_FILE)}` };
}

/** `main`, or the plugin's first step when it has no `main` (MFDATA's inject_file rule). */
export function defaultStep(steps: string[]): string | undefined {
  return steps.includes('main') ? 'main' : steps[0];
}

/**
 * Hands `source` to the inbox `dir` as `name`, or as a free variant of it (`stem.<8 hex>.ext`) when a file of that name is
 * waiting: never replaces one (tags/inbox-name.ts, as every move into an inbox). A copy is written under a `.t` name
 * the observer ignores first, so the inbox only ever shows a complete file. Returns the path the file got.
 */
export async function injectInto(source: string, dir: string, name: string, move: boolean): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, name);
  if (move) return moveIntoInbox(dest, (dst) => renameOrCopy(source, dst));
  // The random part keeps two injections of one name apart while they copy.
  const tmp = path.join(dir, `${fitName(name, 11)}.${randomBytes(4).toString('hex')}.t`);
  try {
    fs.copyFileSync(source, tmp, fs.constants.COPYFILE_EXCL);
    return await moveIntoInbox(dest, (dst) => fs.promises.rename(tmp, dst));
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export const injectCommand: Command = {
  path: ['inject'],
  summary: "hand a file to a plugin step's inbox (copied, or moved with --move); a waiting file of that name is kept",
  usage: 'inject FILE --plugin P [--step S] [--move] [--random-basename]',
  options: [
    { name: 'plugin', value: true, description: 'target plugin' },
    { name: 'step', value: true, description: "target step (default: main, else the plugin's first step)" },
    { name: 'move', description: 'move the file instead of copying it' },
    { name: 'random-basename', description: 'give the file a random hex name in the inbox' },
  ],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new UsageError('inject needs exactly one FILE');
    const plugin = args.options.plugin;
    if (typeof plugin !== 'string' || plugin === '') throw new UsageError('inject needs --plugin P');
    const source = path.resolve(file);
    if (!fs.existsSync(source) || fs.statSync(source).isDirectory()) {
      ctx.stderr.write(`mfdata inject: ${source} is not a file\n`);
      return 1;
    }
    const steps = stepsOf(plugin, ctx);
    if (!steps) {
      ctx.stderr.write(`mfdata inject: unknown plugin '${plugin}' (not in ${path.join(ctx.workspace, 'plugins')} nor installed in ${ctx.home})\n`);
      return 1;
    }
    const step = typeof args.options.step === 'string' ? args.options.step : defaultStep(steps);
    if (!step || !steps.includes(step)) {
      ctx.stderr.write(`mfdata inject: plugin '${plugin}' has no step '${step ?? ''}' (steps: ${steps.join(', ') || 'none'})\n`);
      return 1;
    }
    const randomName = randomBytes(16).toString('hex');
    const name = args.options['random-basename'] === true ? randomName : path.basename(source);
    const inbox = stepInbox(runtimeHome(ctx.home), plugin, step);
    // A name the observer ignores is never announced: the file would wait unprocessed until housekeeping removes it.
    const filter = observerFilter(ctx, inbox);
    const refusal = filter.whyIgnored(name);
    if (refusal !== undefined) {
      const random = name !== randomName && filter.whyIgnored(randomName) === undefined ? ' or pass --random-basename' : '';
      ctx.stderr.write(`mfdata inject: the directory observer ignores the name '${name}' (${refusal}, ${filter.source}): it would never be processed. Nothing was written: rename the file to a name the filter takes${random}\n`);
      return 1;
    }
    const final = await injectInto(source, inbox, name, args.options.move === true);
    ctx.stdout.write(`${final}\n`);
    return 0;
  },
};
