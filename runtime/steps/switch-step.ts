// `builtin:switch`: reads every plugin's switch rules for its instance, routes each file to the union of matching
// targets, applies switch_no_match_policy, and recompiles when the generated plugin configurations change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { StepDefinition } from '../api/types';
import type { PluginConfig, SwitchRule } from '../config/model';
import { formatProblem } from '../config/errors';
import { compileSwitch, evaluateSwitch, type CompiledSwitch, type RulePredicate } from '../switch/rules';
import { noMatchPath, parseNoMatchPolicy } from '../switch/nomatch';
import { placeWithoutClobber } from '../worker/failure-policy';
import { compileStep } from '../worker/step-loader';
import { boolOption, ensureDir, LazyTags, option, type BuiltinDeps } from './builtin';
import { fanOut } from './simple-steps';
import { StepState } from '../queue/step-state';
import { TRACE_NOMATCH_DELETE, TRACE_NOMATCH_KEEP } from '../queue/keys';

/** Where config generation writes each plugin's resolved configuration (read by workers). */
function pluginsDir(deps: BuiltinDeps): string {
  return path.join(deps.home.configAutoDir, 'plugins');
}

function readPlugins(dir: string): { plugins: PluginConfig[]; fingerprint: string } {
  const hash = createHash('md5');
  const plugins: PluginConfig[] = [];
  let names: string[] = [];
  try { names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort(); } catch { /* no plugins yet */ }
  for (const n of names) {
    try {
      const text = fs.readFileSync(path.join(dir, n), 'utf8');
      hash.update(n).update(text);
      plugins.push(JSON.parse(text) as PluginConfig);
    } catch { /* a file being rewritten: the next check sees it */ }
  }
  return { plugins, fingerprint: hash.digest('hex') };
}

/** `module.ts:exportName`, the module relative to the plugin holding the rule. */
async function loadFunctionRules(deps: BuiltinDeps, rules: SwitchRule[]): Promise<Map<SwitchRule, RulePredicate | Error>> {
  const loaded = new Map<SwitchRule, RulePredicate | Error>();
  for (const rule of rules.filter((r) => r.type === 'function')) {
    try {
      const colon = rule.pattern.lastIndexOf(':');
      if (colon <= 0) throw new Error("expected '<module>:<exported function>'");
      const modulePath = path.resolve(path.dirname(rule.file), rule.pattern.slice(0, colon));
      const exportName = rule.pattern.slice(colon + 1);
      const out = path.join(deps.home.tmpDir, 'build', rule.plugin, `switch-rule-${createHash('md5').update(modulePath).digest('hex').slice(0, 12)}.js`);
      await compileStep(modulePath, out);
      delete require.cache[out];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(out) as Record<string, unknown>;
      const fn = mod[exportName];
      if (typeof fn !== 'function') throw new Error(`${modulePath} exports no function '${exportName}'`);
      loaded.set(rule, fn as RulePredicate);
    } catch (err) {
      loaded.set(rule, err instanceof Error ? err : new Error(String(err)));
    }
  }
  return loaded;
}

export function switchStep(deps: BuiltinDeps): StepDefinition {
  const switchName = option(deps, 'switch_name', deps.plugin.name);
  const policy = parseNoMatchPolicy(option(deps, 'switch_no_match_policy', 'delete'));
  const keepBasename = boolOption(deps, 'switch_no_match_keep_original_basename', false);
  const debug = boolOption(deps, 'switch_debug', false);
  const tags = new LazyTags(deps);
  let compiled: CompiledSwitch = { switchName, rules: [], problems: [] };
  let fingerprint = '';
  let checkedAt = 0;
  /** Traces of the no-match policy, on the step's tag connection (made on the first no-match). */
  let state: StepState | undefined;

  /** MFDATA checks the rules file every second; we do the same, but recompile in place instead of exiting. */
  async function refresh(log: BuiltinDeps['log']): Promise<void> {
    if (Date.now() - checkedAt < 1000) return;
    checkedAt = Date.now();
    const { plugins, fingerprint: fp } = readPlugins(pluginsDir(deps));
    if (fp === fingerprint) return;
    const rules = plugins.flatMap((p) => p.switchRules ?? []).filter((r) => r.switchName === switchName);
    const knownSteps = new Set(plugins.flatMap((p) => p.steps.map((s) => `${p.name}/${s.name}`)));
    const functions = await loadFunctionRules(deps, rules);
    compiled = compileSwitch(switchName, rules, {
      knownSteps,
      loadFunction: (rule) => {
        const f = functions.get(rule);
        if (!f || f instanceof Error) throw f ?? new Error('not loaded');
        return f;
      },
    });
    for (const p of compiled.problems) log.warning('switch rule ignored', { switch: switchName, problem: formatProblem(p) });
    log.info(fingerprint === '' ? 'switch rules loaded' : 'switch rules reloaded', { switch: switchName, rules: compiled.rules.length, ignored: compiled.problems.length });
    fingerprint = fp;
  }

  return {
    async init() {
      await refresh(deps.log);
    },
    async process(file, ctx) {
      await refresh(deps.log);
      const current = await ctx.getTags(file);
      const decision = await evaluateSwitch(compiled, { path: file.path, tags: current });
      for (const e of decision.errors) ctx.log.warning('function rule raised an exception (no match)', { rule: e.rule.pattern, file: `${e.rule.file}:${e.rule.line}`, error: e.error instanceof Error ? e.error.message : String(e.error) });
      if (debug) ctx.log.info('switch decision', { original_basename: file.originalBasename, matched: decision.matched.map((r) => `${r.file}:${r.line} ${r.pattern}`).join('; '), targets: decision.targets.map((t) => `${t.plugin}/${t.step}${t.hardlinkAllowed ? '*' : ''}`).join(', ') });
      if (decision.targets.length > 0) return fanOut(ctx, file, decision.targets);
      const traced = { tagPath: file.path, claimUid: file.uid, originalUid: file.originalUid, name: file.originalBasename };
      state ??= new StepState(tags.get().redis, deps.plugin.name, deps.step.name);
      if (policy === 'delete') {
        await state.trace(TRACE_NOMATCH_DELETE, new Date(), traced, 'pseudo');
        ctx.log.info('no rule matched: file deleted', { original_basename: file.originalBasename });
        return true;
      }
      const dest = noMatchPath(deps.home.inDir, switchName, { uid: file.uid, originalBasename: file.originalBasename }, keepBasename);
      await ensureDir(path.dirname(dest));
      const store = tags.get();
      await state.trace(TRACE_NOMATCH_KEEP, new Date(), traced, 'pseudo');
      // Never over a kept file of the same original name (name.1, name.2…), nor where its `.tags` would replace a file
      // (a kept `x.tags`, then `x`); cut to leave room for `.tags`.
      const kept = await placeWithoutClobber(file.path, path.dirname(dest), path.basename(dest), '.tags'.length, '.tags');
      // The tags are still under the claim path: dumped next to the file, then dropped.
      await store.dump(file.path, `${kept}.tags`);
      await store.drop(file.path);
      ctx.log.info('no rule matched: file kept', { original_basename: file.originalBasename, path: kept });
      return true;
    },
    destroy: () => tags.close(),
  };
}
