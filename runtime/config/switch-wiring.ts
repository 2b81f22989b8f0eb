// Switch wiring across plugins: rules no switch step evaluates, and switch steps no rule feeds.
// The running switch evaluates the rules of every plugin whose instance is its switch_name (plugin name by
// default), so a typo in either leaves rules dead or a switch that sends every file to its no-match policy.
import type { ConfigProblem } from './errors';
import type { Span } from './ini-parser';
import { SectionReader } from './read';
import { builtinName } from './schema';
import { parseSwitchSectionName } from './switch-rules';
import { at, type ResolvedSection } from './validate';

/** The switch instances one plugin feeds (rule sections) and evaluates (switch steps), with where each is written. */
export interface SwitchWiring {
  /** `[switch_rules[@<name>]:…]` sections holding at least one rule. */
  rules: { switchName: string; section: string; file: string; span: Span }[];
  /** `builtin:switch` steps; `span` = their `_step_module` value. */
  steps: { switchName: string; plugin: string; step: string; noMatchPolicy: string; file: string; span: Span }[];
}

/** What a plugin's checked sections (override merged) feed and evaluate. */
export function switchWiringOf(plugin: string, sections: readonly ResolvedSection[]): SwitchWiring {
  const wiring: SwitchWiring = { rules: [], steps: [] };
  for (const s of sections) {
    const { parsed } = s.spec?.freeKeys === 'switch-rule' ? parseSwitchSectionName(s.name) : {};
    if (parsed && [...s.values.values()].some((v) => v.valid && v.value !== '')) {
      wiring.rules.push({ switchName: parsed.switchName, section: s.name, file: s.section.file, span: s.section.nameSpan });
    }
    const step = /^step_(.+)$/.exec(s.name)?.[1];
    const stepModule = s.values.get('_step_module');
    if (step === undefined || !stepModule || builtinName(stepModule.value) !== 'switch') continue;
    const options = new SectionReader('plugin', s.name, s, stepModule.value);
    wiring.steps.push({
      switchName: options.str('switch_name') || plugin, plugin, step, noMatchPolicy: options.str('switch_no_match_policy'),
      file: stepModule.entry.file, span: stepModule.entry.valueSpan,
    });
  }
  return wiring;
}

/**
 * Warnings for rule sections no switch step evaluates and switch steps no rule section feeds.
 * `internalSwitches`: instances the internal switch plugin evaluates (it is written nowhere, so never reported).
 */
export function switchWiringProblems(wirings: readonly SwitchWiring[], internalSwitches: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const evaluated = new Set([...internalSwitches, ...wirings.flatMap((w) => w.steps.map((s) => s.switchName))]);
  const fed = new Set(wirings.flatMap((w) => w.rules.map((r) => r.switchName)));
  const known = [...evaluated].sort().join(', ') || 'none';
  for (const r of wirings.flatMap((w) => w.rules)) {
    if (evaluated.has(r.switchName)) continue;
    const how = r.switchName === 'switch'
      ? "rules without @ feed the switch named 'switch': turn on [internal_plugins] install_switch in mfdata.ini, or write [switch_rules@<switch>:…] for a switch step"
      : `add a step with _step_module = builtin:switch and switch_name = ${r.switchName} (a switch step's switch_name defaults to its plugin name), or fix the name after @`;
    problems.push({ ...at(r.file, r.span, 'unused-switch-rules', `no switch step evaluates the rules of [${r.section}] (switch '${r.switchName}'; switches: ${known})`, how, { section: r.section }), severity: 'warning' });
  }
  for (const s of wirings.flatMap((w) => w.steps)) {
    if (fed.has(s.switchName)) continue;
    problems.push({
      ...at(s.file, s.span, 'switch-without-rules', `switch step ${s.plugin}/${s.step} evaluates switch '${s.switchName}', which no plugin gives rules: every file goes to its no-match policy (${s.noMatchPolicy})`,
        `write [switch_rules${s.switchName === 'switch' ? '' : `@${s.switchName}`}:<type>:<tag>] sections, or set switch_name to the instance the rules are written for`, { section: `step_${s.step}`, key: '_step_module' }),
      severity: 'warning',
    });
  }
  return problems;
}
