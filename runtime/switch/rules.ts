// Switch rule evaluation: compile a switch's rules once (reporting bad ones), then test a file against all of them.
import type { SwitchRule, SwitchRuleTarget } from '../config/model';
import type { ConfigProblem } from '../config/errors';
import { compilePythonRegex, FNMATCH_HINT, fnmatchToRegExp, PatternError, regexMatches } from './patterns';

/** What a rule sees of a file: its current path and its tags (names like `latest.guess_file_type.main.system_magic`). */
export interface SwitchFile {
  path: string;
  tags: Readonly<Record<string, string>>;
}

/** A JavaScript/TypeScript function rule, `export function isBig(file) { return … }`. */
export type RulePredicate = (file: SwitchFile) => boolean | Promise<boolean>;

/** Loads a function rule's predicate; throws (with a message saying what is wrong) when it cannot. */
export type FunctionRuleLoader = (rule: SwitchRule) => RulePredicate;

/** The value a missing tag reads as, as in MFDATA, so `notequal` and `notfnmatch` rules still match. */
export const TAG_NOT_FOUND = '{NOT_FOUND}';

export interface CompiledRule {
  rule: SwitchRule;
  /** Targets left after unknown steps were dropped. */
  targets: SwitchRuleTarget[];
  test(file: SwitchFile): boolean | Promise<boolean>;
}

export interface CompiledSwitch {
  switchName: string;
  rules: CompiledRule[];
  /** Rules or targets that were left out, with file:line; the rest of the switch keeps working. */
  problems: ConfigProblem[];
}

export interface CompileOptions {
  /** Every step that exists, as `plugin/step`; a target outside this set is reported and dropped. */
  knownSteps: ReadonlySet<string>;
  loadFunction?: FunctionRuleLoader;
}

function ruleProblem(rule: SwitchRule, code: string, message: string, hint: string): ConfigProblem {
  return {
    file: rule.file, line: rule.line, column: 1, endColumn: 1 + Math.max(1, rule.pattern.length),
    // A warning, as `mfdata config check` reports it: the rule (or target) is skipped, the rest of the switch routes.
    severity: 'warning', code, message, hint, section: sectionName(rule), key: rule.pattern,
  };
}

/** The section a rule came from, as its author wrote it, for messages. */
export function sectionName(rule: SwitchRule): string {
  const at = rule.switchName === 'switch' ? '' : `@${rule.switchName}`;
  return `switch_rules${at}:${rule.type}${rule.tag ? `:${rule.tag}` : ''}`;
}

function tagValue(file: SwitchFile, tag: string): string {
  const v = file.tags[tag];
  return v === undefined ? TAG_NOT_FOUND : v;
}

function predicateFor(rule: SwitchRule, loadFunction: FunctionRuleLoader | undefined): (file: SwitchFile) => boolean | Promise<boolean> {
  const { tag, pattern } = rule;
  switch (rule.type) {
    case 'equal': return (f) => tagValue(f, tag) === pattern;
    case 'notequal': return (f) => tagValue(f, tag) !== pattern;
    case 'fnmatch': { const re = fnmatchToRegExp(pattern); return (f) => re.test(tagValue(f, tag)); }
    case 'notfnmatch': { const re = fnmatchToRegExp(pattern); return (f) => !re.test(tagValue(f, tag)); }
    case 'regex': { const re = compilePythonRegex(pattern); return (f) => regexMatches(re, tagValue(f, tag)); }
    case 'notregex': { const re = compilePythonRegex(pattern); return (f) => !regexMatches(re, tagValue(f, tag)); }
    case 'alwaystrue': return () => true;
    case 'function': {
      if (!loadFunction) throw new Error('function rules cannot be loaded here');
      return loadFunction(rule);
    }
  }
}

/**
 * Compiles the rules of one switch instance. A rule whose pattern does not compile, whose function cannot
 * be loaded, or whose targets are all unknown is left out with a problem; unknown targets of an otherwise
 * good rule are dropped with a problem. Never throws.
 */
export function compileSwitch(switchName: string, rules: readonly SwitchRule[], options: CompileOptions): CompiledSwitch {
  const compiled: CompiledRule[] = [];
  const problems: ConfigProblem[] = [];
  for (const rule of rules) {
    if (rule.switchName !== switchName) continue;
    let test: CompiledRule['test'];
    try {
      test = predicateFor(rule, options.loadFunction);
    } catch (err) {
      if (err instanceof PatternError) {
        problems.push(ruleProblem(rule, err.code, `rule ignored: [${sectionName(rule)}] ${err.message}, fix the pattern`,
          err.syntax === 'regex' ? 'JavaScript regular expression syntax; `(?P<name>…)` is accepted' : FNMATCH_HINT));
      } else {
        problems.push(ruleProblem(rule, 'bad-function-rule', `rule ignored: [${sectionName(rule)}] cannot load function rule '${rule.pattern}': ${err instanceof Error ? err.message : String(err)}, fix the rule`,
          "write '<module>:<exported function>', e.g. 'rules.ts:isBig = plugin/step'"));
      }
      continue;
    }
    const targets: SwitchRuleTarget[] = [];
    for (const t of rule.targets) {
      if (options.knownSteps.has(`${t.plugin}/${t.step}`)) targets.push(t);
      else problems.push(ruleProblem(rule, 'unknown-target', `[${sectionName(rule)}] rule '${rule.pattern}' targets unknown step '${t.plugin}/${t.step}'; this target is ignored`,
        'declare [step_<name>] in that plugin, or fix the plugin/step name'));
    }
    if (targets.length === 0) continue;
    compiled.push({ rule, targets, test });
  }
  return { switchName, rules: compiled, problems };
}

export interface SwitchDecision {
  /** Union of the targets of every matching rule, first-seen order, no duplicates. */
  targets: SwitchRuleTarget[];
  matched: SwitchRule[];
  /** Function rules that threw: counted as no match, reported so the step can log them. */
  errors: { rule: SwitchRule; error: unknown }[];
}

/** Adds targets to a union; a step named twice allows a hardlink only if every rule naming it does. */
export function unionTargets(into: SwitchRuleTarget[], add: readonly SwitchRuleTarget[]): void {
  for (const t of add) {
    const existing = into.find((e) => e.plugin === t.plugin && e.step === t.step);
    if (existing) existing.hardlinkAllowed = existing.hardlinkAllowed && t.hardlinkAllowed;
    else into.push({ ...t });
  }
}

/** Evaluates every rule (no ordering, no short-circuit) and unions the targets of those that match. */
export async function evaluateSwitch(sw: CompiledSwitch, file: SwitchFile): Promise<SwitchDecision> {
  const decision: SwitchDecision = { targets: [], matched: [], errors: [] };
  for (const c of sw.rules) {
    let ok: boolean;
    try {
      ok = Boolean(await c.test(file));
    } catch (error) {
      decision.errors.push({ rule: c.rule, error });
      continue;
    }
    if (!ok) continue;
    decision.matched.push(c.rule);
    unionTargets(decision.targets, c.targets);
  }
  return decision;
}
