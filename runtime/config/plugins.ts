// Plugin discovery (workspace devlinks, installed plugins), operator overrides, and config.ini → PluginConfig.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runtimeHome, stepInbox } from '../home';
import type { ConfigProblem } from './errors';
import { hasErrors } from './errors';
import type { ExtraDaemonConfig, FailurePolicy, PluginConfig, StepConfig, SwitchRule } from './model';
import { SectionReader } from './read';
import { builtinName, BUILTIN_STEP_OPTIONS } from './schema';
import { parseSwitchSectionName, unescapePattern } from './switch-rules';
import { switchWiringOf, type SwitchWiring } from './switch-wiring';
import { checkDocument, stepCrossProblems, stepModulesOf, type CheckContext, type ResolvedSection } from './validate';
import { parseTargetList } from './values';
import { watchedDirectoryProblems } from './watched-dirs';

export interface DiscoveredPlugin {
  name: string;
  dir: string;
  origin: 'workspace' | 'installed';
  configFile: string;
}

function pluginDirs(root: string): string[] {
  try {
    return fs.readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => d.name)
      .filter((name) => !name.startsWith('.'))
      .sort();
  } catch {
    return [];
  }
}

/** Workspace `plugins/<name>/config.ini` and `<home>/var/plugins/<name>/config.ini`; the workspace wins. Sorted by name. */
export function discoverPlugins(workspace: string, home: string): { plugins: DiscoveredPlugin[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const found = new Map<string, DiscoveredPlugin>();
  const roots: [string, DiscoveredPlugin['origin']][] = [
    [path.join(path.resolve(workspace), 'plugins'), 'workspace'],
    [runtimeHome(home).installedPluginsDir, 'installed'],
  ];
  for (const [root, origin] of roots) {
    for (const name of pluginDirs(root)) {
      const dir = path.join(root, name);
      const configFile = path.join(dir, 'config.ini');
      if (!fs.existsSync(configFile)) {
        if (origin === 'workspace') {
          problems.push({ file: dir, line: 1, column: 1, endColumn: 2, severity: 'warning', code: 'no-config-ini', message: `plugins/${name} has no config.ini; not a plugin`, hint: 'add a config.ini or move the directory out of plugins/' });
        }
        continue;
      }
      const existing = found.get(name);
      if (existing) {
        problems.push({ file: configFile, line: 1, column: 1, endColumn: 2, severity: 'warning', code: 'shadowed-plugin',
          message: `installed plugin '${name}' is hidden by the workspace plugin ${existing.dir}`, hint: 'uninstall it, or rename one of them' });
        continue;
      }
      found.set(name, { name, dir, origin, configFile });
    }
  }
  return { plugins: [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), problems };
}

/** The operator override file of a plugin. */
export function overrideFile(home: string, plugin: string): string {
  return path.join(runtimeHome(home).configDir, 'plugins', `${plugin}.ini`);
}

/** Splits a command line into an argument vector: blanks separate, '…' and "…" group, no other shell syntax. */
export function splitCommand(command: string): string[] {
  const args: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(command)) !== null) args.push(m[1] ?? m[2] ?? m[3]);
  return args;
}

/** Merges the valid override values over the plugin's sections; sections absent from the plugin (reported by checkDocument) are left out. */
function mergeOverride(sections: ResolvedSection[], overrides: ResolvedSection[]): void {
  for (const o of overrides) {
    let target = sections.find((s) => s.name === o.name);
    if (!target) {
      if (o.name !== 'custom') continue;
      target = { ...o, values: new Map() };
      sections.push(target);
    }
    for (const [key, value] of o.values) if (value.valid) target.values.set(key, value);
  }
}

function stepConfig(plugin: DiscoveredPlugin, step: string, r: SectionReader, home: string): StepConfig {
  let stepModule = r.str('_step_module');
  if (stepModule === '') {
    stepModule = !fs.existsSync(path.join(plugin.dir, `${step}.ts`)) && fs.existsSync(path.join(plugin.dir, `${step}.js`)) ? `${step}.js` : `${step}.ts`;
  }
  const builtin = builtinName(stepModule);
  const inbox = stepInbox(runtimeHome(home), plugin.name, step);
  const inDir = runtimeHome(home).inDir;
  const watched = r.list('watched_directories').map((d) => {
    const expanded = d.split('{MFDATA_CURRENT_STEP_DIR}').join(inbox);
    return path.isAbsolute(expanded) ? path.normalize(expanded) : path.join(inDir, expanded);
  });
  const options: Record<string, string> = {};
  const stepReader = new SectionReader('plugin', `step_${step}`, undefined, stepModule);
  for (const spec of builtin ? BUILTIN_STEP_OPTIONS[builtin] : []) options[spec.key] = r.has(spec.key) ? r.str(spec.key) : stepReader.str(spec.key);
  if (builtin === 'switch' && options.switch_name === '') options.switch_name = plugin.name;
  const maxAge = r.int('max_age');
  return {
    name: step,
    stepModule,
    stepModulePath: builtin ? undefined : path.join(plugin.dir, stepModule),
    numprocesses: r.int('numprocesses', 1),
    debug: r.bool('debug'),
    timeout: r.int('timeout', 600),
    processTimeout: r.int('process_timeout'),
    maxAge,
    // MFDATA: the variance defaults to max_age, or 30 when max_age is 0.
    maxAgeVariance: r.has('max_age_variance') && r.str('max_age_variance') !== '' ? r.int('max_age_variance') : maxAge || 30,
    // The step inbox is always watched too, whatever the list says: mfdata inject, ctx.moveToPluginStep, the
    // failure policy move and mfdata trash replay deliver there (a step watching only `incoming` never saw them).
    watchedDirectories: [...new Set([...watched, inbox])],
    failurePolicy: r.str('failure_policy') as FailurePolicy,
    failurePolicyMoveDestDir: r.str('failure_policy_move_dest_dir'),
    retryTotal: r.int('retry_total'),
    retryMinWait: r.float('retry_min_wait', 10),
    retryMaxWait: r.float('retry_max_wait', 120),
    retryBackoff: r.float('retry_backoff'),
    stepLimit: r.int('step_limit', 1000),
    batchMaxSize: r.int('batch_max_size', 100),
    batchMaxWait: r.float('batch_max_wait', 10),
    options,
    rlimits: { as: r.int('rlimit_as'), nofile: r.int('rlimit_nofile'), stack: r.int('rlimit_stack'), fsize: r.int('rlimit_fsize') },
    logSplitStdoutStderr: r.str('log_split_stdout_stderr'),
    logSplitMultipleWorkers: r.str('log_split_multiple_workers'),
  };
}

function extraDaemonConfig(name: string, r: SectionReader): ExtraDaemonConfig {
  return {
    name,
    cmdAndArgs: splitCommand(r.str('_cmd_and_args')),
    numprocesses: r.int('numprocesses', 1),
    gracefulTimeout: r.int('graceful_timeout', 10),
    maxAge: r.int('max_age'),
    debug: r.bool('debug'),
    rlimits: { as: r.int('rlimit_as'), nofile: r.int('rlimit_nofile'), stack: r.int('rlimit_stack'), fsize: r.int('rlimit_fsize') },
    logSplitStdoutStderr: r.str('log_split_stdout_stderr'),
    logSplitMultipleWorkers: r.str('log_split_multiple_workers'),
  };
}

function switchRules(plugin: DiscoveredPlugin, sections: ResolvedSection[]): SwitchRule[] {
  const rules: SwitchRule[] = [];
  for (const s of sections) {
    if (s.spec?.freeKeys !== 'switch-rule') continue;
    const { parsed } = parseSwitchSectionName(s.name);
    if (!parsed) continue;
    for (const [key, v] of s.values) {
      if (!v.valid || v.value === '') continue;
      const { targets, bad } = parseTargetList(v.value, plugin.name);
      if (bad.length > 0) continue;
      rules.push({
        switchName: parsed.switchName, type: parsed.type, tag: parsed.tag, pattern: unescapePattern(key),
        targets: targets.map((t) => ({ plugin: t.plugin, step: t.step, hardlinkAllowed: t.hardlinkAllowed })),
        plugin: plugin.name, file: v.entry.file, line: v.entry.keySpan.line,
      });
    }
  }
  return rules;
}

/** The step names a plugin's config.ini declares (for target checks across plugins); never fails. */
export function declaredSteps(plugin: DiscoveredPlugin): string[] {
  try {
    const text = fs.readFileSync(plugin.configFile, 'utf8');
    return [...text.matchAll(/^\s*\[\s*step_([A-Za-z0-9_]+)\s*\]/gm)].map((m) => `${plugin.name}/${m[1]}`);
  } catch {
    return [];
  }
}

/**
 * Loads one plugin: its config.ini checked, the operator override merged, the PluginConfig built.
 * `plugin` is undefined when an error makes the plugin unusable; the problems say why.
 */
export function loadPlugin(found: DiscoveredPlugin, ctx: Omit<CheckContext, 'plugin'>): { plugin?: PluginConfig; wiring?: SwitchWiring; problems: ConfigProblem[] } {
  const pctx: CheckContext = { ...ctx, plugin: { name: found.name, dir: found.dir } };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(found.configFile);
  } catch (err) {
    return { problems: [{ file: found.configFile, line: 1, column: 1, endColumn: 2, severity: 'error', code: 'unreadable', message: `cannot read config.ini: ${(err as Error).message}`, hint: 'check its permissions' }] };
  }
  const checked = checkDocument('plugin', bytes, found.configFile, pctx);
  const problems = [...checked.problems];
  const sections = checked.sections;
  const oFile = overrideFile(ctx.home, found.name);
  if (fs.existsSync(oFile)) {
    const override = checkDocument('override', fs.readFileSync(oFile), oFile, { ...pctx, pluginStepModules: stepModulesOf(sections), pluginSections: sections.map((x) => x.name) });
    problems.push(...override.problems);
    mergeOverride(sections, override.sections);
    // Rules between keys are checked again on the merged result; only what the override broke is new.
    for (const s of sections.filter((x) => x.name.startsWith('step_'))) problems.push(...stepCrossProblems(s).filter((p) => p.file === oFile));
  }
  if (hasErrors(problems)) return { problems };
  const section = (name: string): ResolvedSection | undefined => sections.find((s) => s.name === name);
  const general = new SectionReader('plugin', 'general', section('general'));
  const steps: StepConfig[] = [];
  const extraDaemons: ExtraDaemonConfig[] = [];
  for (const s of sections) {
    const step = /^step_(.+)$/.exec(s.name)?.[1];
    if (step !== undefined) {
      const stepModule = s.values.get('_step_module')?.value;
      const config = stepConfig(found, step, new SectionReader('plugin', s.name, s, stepModule), ctx.home);
      steps.push(config);
      problems.push(...watchedDirectoryProblems(config, s, ctx.home));
    }
    const extra = /^extra_daemon_(.+)$/.exec(s.name)?.[1];
    if (extra !== undefined) extraDaemons.push(extraDaemonConfig(extra, new SectionReader('plugin', s.name, s)));
  }
  const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const custom: Record<string, string> = {};
  for (const [key, v] of [...(section('custom')?.values ?? new Map())].sort(([a], [b]) => (a < b ? -1 : 1))) custom[key] = v.value;
  return {
    problems,
    wiring: switchWiringOf(found.name, sections),
    plugin: {
      name: found.name,
      dir: found.dir,
      origin: found.origin,
      configFile: found.configFile,
      version: general.str('_version'),
      release: general.str('_release'),
      summary: general.str('_summary'),
      license: general.str('_license'),
      url: general.str('_url'),
      maintainer: general.str('_maintainer'),
      vendor: general.str('_vendor'),
      steps: steps.sort(byName),
      extraDaemons: extraDaemons.sort(byName),
      custom,
      switchRules: switchRules(found, sections),
    },
  };
}
