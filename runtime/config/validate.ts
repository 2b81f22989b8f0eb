// The one function that turns a configuration document into its problem list (CLI, loaders and language service).
import { metricsCrossProblems } from './metrics-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigProblem } from './errors';
import { sortProblems } from './errors';
import { expandValue, expansionVariables } from './expand';
import { getEntry, parseIni, type IniDocument, type IniEntry, type IniSection, type Span } from './ini-parser';
import { builtinName, findSectionSpec, keysOfSection, retiredSetting, schema, type FileKind, type KeySpec, type SectionSpec } from './schema';
import { suggest } from './suggest';
import { parseSwitchSectionName, unescapePattern } from './switch-rules';
import { checkValue, parseTargetList, pluginNameIssue, stepNameIssue, TARGET_PATTERN, type ValueIssue } from './values';
import { compilePythonRegex, FNMATCH_HINT, fnmatchToRegExp, PatternError } from '../switch/patterns';
import { checkObserverSections } from './validate-observer';

/** A value after `{{VAR}}` expansion; `valid` = expansion and type check passed. */
export interface ResolvedValue {
  entry: IniEntry;
  value: string;
  valid: boolean;
}

export interface ResolvedSection {
  name: string;
  /** The first section of that name (a duplicate is reported, its keys ignored). */
  section: IniSection;
  spec?: SectionSpec;
  values: Map<string, ResolvedValue>;
}

export interface CheckContext {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  /** The plugin a config.ini or override belongs to (name = its directory name). */
  plugin?: { name: string; dir: string };
  /** Every `plugin/step` of the runtime; when given, targets naming another step get a warning. */
  knownSteps?: readonly string[];
  /**
   * For an operator override: the `_step_module` of each `[step_<name>]` of the plugin's config.ini, by section
   * name. An override may not set `_step_module`, so the plugin's value decides which built-in options a step takes.
   */
  pluginStepModules?: Readonly<Record<string, string>>;
  /** For an operator override: the sections of the plugin's config.ini, the only ones it may change (and [custom]). */
  pluginSections?: readonly string[];
}

export interface CheckedDocument {
  doc: IniDocument;
  problems: ConfigProblem[];
  sections: ResolvedSection[];
}

export function at(file: string, span: Span, code: string, message: string, hint: string, extra: Partial<ConfigProblem> = {}): ConfigProblem {
  return { file, line: span.line, column: span.column, endColumn: span.endColumn, severity: 'error', code, message, hint, ...extra };
}

/** Where a range of a value after {{VAR}} expansion was written (Expanded.written). */
type ToWritten = (offset: number, length: number) => { offset: number; length: number };

function issueAt(entry: IniEntry, issue: ValueIssue, section: string, toWritten?: ToWritten): ConfigProblem {
  const range = issue.offset === undefined ? undefined : toWritten ? toWritten(issue.offset, issue.length ?? 1) : { offset: issue.offset, length: issue.length ?? 1 };
  const span = range === undefined
    ? { ...entry.valueSpan }
    : { line: entry.valueSpan.line, column: entry.valueSpan.column + range.offset, endColumn: entry.valueSpan.column + range.offset + range.length };
  // An empty value still gets a one-column range an editor can underline.
  if (span.endColumn === span.column) span.endColumn = span.column + 1;
  return at(entry.file, span, issue.code, issue.message, issue.hint, { key: entry.key, section });
}

/** Parses and checks a document: syntax, schema, types, expansion, cross-key and (with knownSteps) target checks. */
export function checkDocument(kind: FileKind, source: string | Uint8Array, file: string, ctx: CheckContext): CheckedDocument {
  return validateDocument(kind, parseIni(source, file), ctx);
}

export function validateDocument(kind: FileKind, doc: IniDocument, ctx: CheckContext): CheckedDocument {
  const problems: ConfigProblem[] = [...doc.problems];
  const sections: ResolvedSection[] = [];
  const seen = new Set<string>();
  for (const section of doc.sections) {
    if (seen.has(section.name)) continue;
    seen.add(section.name);
    sections.push(checkSection(kind, section, ctx, problems));
  }
  for (const spec of schema[kind].sections) {
    if (kind !== 'override' && spec.mandatory && !sections.some((s) => s.spec === spec)) {
      problems.push(at(doc.file, { line: 1, column: 1, endColumn: 2 }, 'missing-section', `missing section [${spec.title}]`,
        `add a [${spec.title}] section with ${spec.keys.filter((k) => k.mandatory).map((k) => k.key).join(', ')}`, { section: spec.title }));
    }
  }
  if (kind === 'plugin' && ctx.plugin) {
    const issue = pluginNameIssue(ctx.plugin.name);
    if (issue) problems.push(at(doc.file, { line: 1, column: 1, endColumn: 2 }, issue.code, issue.message, issue.hint));
  }
  if (kind === 'override' && ctx.pluginSections) {
    for (const o of sections) {
      if (o.name === 'custom' || ctx.pluginSections.includes(o.name)) continue;
      problems.push(at(o.section.file, o.section.nameSpan, 'override-unknown-section', `section [${o.name}] does not exist in the plugin's config.ini`,
        'an override may only change sections the plugin defines (and [custom])', { section: o.name }));
    }
  }
  if (kind === 'observer') problems.push(...checkObserverSections(doc.file, sections));
  const metrics = kind === 'module' ? sections.find((s) => s.name === 'metrics') : undefined;
  if (metrics) problems.push(...metricsCrossProblems(metrics));
  return { doc, problems: sortProblems(problems), sections };
}

/** The `_step_module` (expanded) of each step section that sets one, by section name (see CheckContext.pluginStepModules). */
export function stepModulesOf(sections: readonly ResolvedSection[]): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const s of sections) {
    const v = s.values.get('_step_module');
    if (s.name.startsWith('step_') && v) modules[s.name] = v.value;
  }
  return modules;
}

function sectionHint(kind: FileKind, name: string): string {
  const titles = schema[kind].sections.map((s) => s.title);
  const close = suggest(name, [...titles, ...titles.filter((t) => t.endsWith('<name>')).map((t) => t.replace('<name>', name.replace(/^.*?_/, '')))]);
  return close && !close.includes('<') ? `did you mean [${close}]?` : `sections of ${schema[kind].title}: ${titles.map((t) => `[${t}]`).join(', ')}`;
}

function checkSection(kind: FileKind, section: IniSection, ctx: CheckContext, problems: ConfigProblem[]): ResolvedSection {
  const name = section.name;
  const file = section.file;
  const spec = findSectionSpec(kind, name);
  const resolved: ResolvedSection = { name, section, spec, values: new Map() };
  if (!spec) {
    const retired = retiredSetting(kind, name)?.instead;
    problems.push(at(file, section.nameSpan, retired ? 'retired-section' : 'unknown-section', retired ? `MFDATA section [${name}] is not used here` : `unknown section [${name}]`,
      retired ?? sectionHint(kind, name), { section: name }));
    return resolved;
  }
  const stepMatch = /^step_(.*)$/.exec(name);
  const step = stepMatch && spec.keys.length > 0 ? stepMatch[1] : undefined;
  const extraMatch = /^extra_daemon_(.*)$/.exec(name);
  for (const [matched, label] of [[step, 'step'], [extraMatch?.[1], 'extra daemon']] as const) {
    if (matched === undefined) continue;
    const issue = stepNameIssue(matched);
    if (issue) problems.push(at(file, section.nameSpan, issue.code, label === 'step' ? issue.message : issue.message.replace('step', 'extra daemon'), issue.hint, { section: name }));
  }
  let switchType: string | undefined;
  if (spec.freeKeys === 'switch-rule') {
    const { parsed, issue } = parseSwitchSectionName(name);
    if (issue) problems.push(at(file, section.nameSpan, issue.code, issue.message, issue.hint, { section: name }));
    switchType = parsed?.type;
  }
  const vars = expansionVariables({ env: ctx.env, home: ctx.home, plugin: ctx.plugin, step });
  const stepModuleEntry = getEntry(section, '_step_module');
  const stepModule = kind === 'override'
    ? ctx.pluginStepModules?.[name]
    : stepModuleEntry ? expandValue(stepModuleEntry.value, vars).value : undefined;
  const allowed = keysOfSection(kind, name, stepModule);
  const seenKeys = new Set<string>();

  for (const entry of section.entries) {
    if (entry.variant !== undefined) {
      problems.push({ ...at(entry.file, entry.keySpan, 'unsupported-variant', `key variant '${entry.key}[${entry.variant}]' is not supported; line ignored`,
        `write plain '${entry.key} = …' (or set it in an operator override)`, { key: entry.key, section: name }), severity: 'warning' });
      continue;
    }
    if (seenKeys.has(entry.key)) continue;
    seenKeys.add(entry.key);
    const expanded = expandValue(entry.value, vars);
    const valid = expanded.errors.length === 0;
    for (const e of expanded.errors) {
      problems.push(issueAt(entry, { code: 'unknown-variable', message: e.message, hint: e.name ? `define ${e.name} in the environment, or use one of MFDATA_CURRENT_PLUGIN_NAME, MFDATA_CURRENT_PLUGIN_DIR, MFDATA_HOME…` : 'close it with }}', offset: e.offset, length: e.length }, name));
    }
    const resolvedValue: ResolvedValue = { entry, value: expanded.value, valid };
    resolved.values.set(entry.key, resolvedValue);
    if (kind === 'override' && entry.key.startsWith('_')) {
      problems.push(at(entry.file, entry.keySpan, 'override-private-key', `operator overrides may not set '${entry.key}' (keys starting with _ belong to the plugin)`,
        'change it in the plugin config.ini instead', { key: entry.key, section: name }));
      resolvedValue.valid = false;
      continue;
    }
    if (spec.freeKeys === 'custom') continue;
    if (spec.freeKeys === 'switch-rule') {
      checkSwitchRule(entry, expanded.value, switchType, name, ctx, problems, expanded.written);
      continue;
    }
    const keySpec = allowed.find((k) => k.key === entry.key);
    if (!keySpec) {
      resolvedValue.valid = false;
      const retired = retiredSetting(kind, name, entry.key)?.instead;
      const close = suggest(entry.key, allowed.map((k) => k.key));
      const hint = retired ?? (close ? `did you mean '${close}'?` : `keys of [${spec.title}]: ${allowed.map((k) => k.key).join(', ')}`);
      const message = retired ? `MFDATA key '${entry.key}' in [${name}] is not used here` : `unknown key '${entry.key}' in [${name}]`;
      problems.push(at(entry.file, entry.keySpan, retired ? 'retired-key' : 'unknown-key', message, hint, { key: entry.key, section: name }));
      continue;
    }
    if (!valid) continue;
    const issue = checkValue(keySpec, expanded.value);
    if (issue) {
      resolvedValue.valid = false;
      problems.push(issueAt(entry, issue, name, expanded.written));
      continue;
    }
    checkTargets(keySpec, entry, expanded.value, name, ctx, problems, expanded.written);
  }

  if (kind !== 'override' && kind !== 'observer') {
    for (const k of allowed) {
      if (k.mandatory && !resolved.values.has(k.key)) {
        problems.push(at(file, section.nameSpan, 'missing-key', `missing mandatory key '${k.key}' in [${name}]`, `add '${k.key} = …' (${k.doc})`, { key: k.key, section: name }));
      }
    }
  }
  if (step !== undefined && kind === 'plugin') checkStep(resolved, step, stepModule, ctx, problems);
  return resolved;
}

/**
 * Targets (`plugin/step`) naming no known step: a warning, as the other plugin may simply not be loaded.
 * The suggestion is written as the item should be: a bare step name in a list of bare names (MFDATA reads a
 * list without any `/` as steps of this plugin, so one qualified item would change the meaning of the others).
 */
function checkTargets(spec: KeySpec, entry: IniEntry, value: string, section: string, ctx: CheckContext, problems: ConfigProblem[], toWritten?: ToWritten): void {
  if (!ctx.knownSteps || !ctx.plugin) return;
  let targets: { name: string; offset: number; length: number }[] = [];
  const bare = spec.type === 'target-list' && !value.includes('/');
  if (spec.type === 'target-list') {
    targets = parseTargetList(value, ctx.plugin.name).targets.map((t) => ({ name: `${t.plugin}/${t.step}`, offset: t.offset, length: t.length }));
  } else if (spec.type === 'target-or-dir' && TARGET_PATTERN.test(value)) {
    targets = [{ name: value, offset: 0, length: value.length }];
  }
  const own = `${ctx.plugin.name}/`;
  for (const t of targets) {
    if (ctx.knownSteps.includes(t.name)) continue;
    const close = suggest(t.name, ctx.knownSteps);
    let hint = close ? `did you mean '${close}'?` : `known steps: ${ctx.knownSteps.join(', ') || 'none'}`;
    if (close && bare) {
      hint = close.startsWith(own) ? `did you mean '${close.slice(own.length)}'?` : `did you mean '${close}'? (then write every item of the list as plugin/step)`;
    }
    problems.push({
      ...issueAt(entry, { code: 'unknown-target', message: `'${t.name}' names no known plugin step`, hint, offset: t.offset, length: t.length }, section, toWritten),
      severity: 'warning',
    });
  }
}

/** Compiles a rule's pattern exactly as the running switch does (runtime/switch/rules.ts); the error when it cannot. */
function switchPatternError(pattern: string, type: string | undefined): PatternError | undefined {
  try {
    if (type === 'regex' || type === 'notregex') compilePythonRegex(pattern);
    if (type === 'fnmatch' || type === 'notfnmatch') fnmatchToRegExp(pattern);
    return undefined;
  } catch (err) {
    if (err instanceof PatternError) return err;
    throw err;
  }
}

function checkSwitchRule(entry: IniEntry, value: string, type: string | undefined, section: string, ctx: CheckContext, problems: ConfigProblem[], toWritten?: ToWritten): void {
  const pattern = unescapePattern(entry.key);
  // A rule that cannot compile is skipped by the running switch and the rest of the switch keeps routing, so it is
  // a warning here (not an error that would reject the whole plugin), with the message the switch logs.
  const error = switchPatternError(pattern, type);
  if (error) {
    const hint = error.syntax === 'regex' ? 'write = as @@@@@@ and # as ~~~~~~ in a pattern' : FNMATCH_HINT;
    problems.push({ ...at(entry.file, entry.keySpan, error.code, `rule ignored: ${error.message}, fix the pattern`, hint, { key: entry.key, section }), severity: 'warning' });
  }
  const spec: KeySpec = { key: entry.key, type: 'target-list', default: '', doc: 'switch rule targets' };
  if (value === '') {
    problems.push(at(entry.file, entry.valueSpan.column === entry.valueSpan.endColumn ? { ...entry.keySpan } : entry.valueSpan, 'empty-value', `switch rule '${pattern}' has no target`, 'write pattern = plugin/step', { key: entry.key, section }));
    return;
  }
  const issue = checkValue(spec, value);
  if (issue) problems.push(issueAt(entry, issue, section, toWritten));
  else checkTargets(spec, entry, value, section, ctx, problems, toWritten);
}

function num(r: ResolvedSection, key: string, def: number): number {
  const v = r.values.get(key);
  return v && v.valid && v.value !== '' ? Number(v.value) : def;
}

/** Rules between keys of one step section (also re-run after an operator override is merged). */
export function stepCrossProblems(r: ResolvedSection): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const policy = r.values.get('failure_policy');
  const dest = r.values.get('failure_policy_move_dest_dir');
  if (policy?.valid && policy.value === 'move' && (!dest || dest.value === '')) {
    problems.push(at(policy.entry.file, policy.entry.valueSpan, 'move-without-dest', 'failure_policy = move needs failure_policy_move_dest_dir',
      'add failure_policy_move_dest_dir = <plugin>/<step> or an absolute directory', { key: 'failure_policy', section: r.name }));
  }
  const max = r.values.get('retry_max_wait');
  const min = r.values.get('retry_min_wait');
  const maxValue = num(r, 'retry_max_wait', 120);
  const minValue = num(r, 'retry_min_wait', 10);
  // Point at the key the author wrote: retry_max_wait when present, else retry_min_wait.
  const culprit = max?.valid ? max : min?.valid ? min : undefined;
  if (culprit && maxValue < minValue) {
    problems.push(at(culprit.entry.file, culprit.entry.valueSpan, 'retry-max-below-min',
      `retry_max_wait (${maxValue}) must be at least retry_min_wait (${minValue})`, 'raise retry_max_wait or lower retry_min_wait', { key: culprit.entry.key, section: r.name }));
  }
  return problems;
}

function checkStep(r: ResolvedSection, step: string, stepModule: string | undefined, ctx: CheckContext, problems: ConfigProblem[]): void {
  problems.push(...stepCrossProblems(r));
  if (!ctx.plugin || builtinName(stepModule) || (stepModule ?? '').startsWith('builtin:')) return;
  const file = stepModule || `${step}.ts`;
  const candidates = stepModule ? [file] : [file, `${step}.js`];
  if (!candidates.some((c) => fs.existsSync(path.join(ctx.plugin!.dir, c)))) {
    const entry = r.values.get('_step_module')?.entry;
    problems.push(at(r.section.file, entry ? entry.valueSpan : r.section.nameSpan, 'missing-step-module',
      `step module '${file}' of step '${step}' not found in ${ctx.plugin.dir}`, stepModule ? 'create the file or fix _step_module' : `create ${step}.ts (or ${step}.js), or set _step_module`, { section: r.name, key: '_step_module' }));
  }
}
