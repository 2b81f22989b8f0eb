// The flow-graph edges a step's configuration declares (failure policy, copy/move targets, switch rules, retries),
// registered with count 0 when its worker starts, so a graph shows them before any traffic (MFDATA's virtual traces).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PluginConfig, StepConfig } from '../config/model';
import { parseTargetList } from '../config/values';
import type { RuntimeHome } from '../home';
import { TRACE_NOMATCH_DELETE, TRACE_NOMATCH_KEEP, TRACE_TRASH_DELETE, TRACE_TRASH_KEEP, traceMoveToDir } from '../queue/keys';
import type { StepState } from '../queue/step-state';

const REINJECT_SUFFIX = '_reinject';

/** Where a failure policy sends a file, as a trace end. */
function policyTarget(policy: StepConfig['failurePolicy'], moveDestDir: string): string | undefined {
  if (policy === 'keep') return TRACE_TRASH_KEEP;
  if (policy === 'delete') return TRACE_TRASH_DELETE;
  if (moveDestDir === '') return undefined;
  return path.isAbsolute(moveDestDir) ? traceMoveToDir(moveDestDir) : moveDestDir;
}

function targets(value: string | undefined, plugin: string): string[] {
  return parseTargetList(value ?? '', plugin).targets.map((t) => `${t.plugin}/${t.step}`);
}

/**
 * Edges from `plugin/step` its configuration declares. `plugins`: every plugin of the runtime (the switch's
 * rules live in the plugins that route through it). Pure.
 */
export function configuredTargets(plugin: PluginConfig, step: StepConfig, plugins: readonly PluginConfig[]): string[] {
  const out = new Set<string>();
  const module = step.stepModule;
  if (module === 'builtin:reinject') {
    // The reinject step moves files back into its step; the give-up (the original policy) is traced from that step.
    const of = step.options.retry_of;
    if (of) out.add(`${plugin.name}/${of}`);
    return [...out];
  }
  const failure = policyTarget(step.failurePolicy, step.failurePolicyMoveDestDir);
  if (failure) out.add(failure);
  if (step.retryTotal > 0) {
    // Retries given up: the step's original policy, recorded from this step by its reinject step.
    const reinject = plugin.steps.find((s) => s.name === `${step.name}${REINJECT_SUFFIX}`);
    const original = reinject ? policyTarget(reinject.failurePolicy, reinject.failurePolicyMoveDestDir) : undefined;
    if (original) out.add(original);
  }
  if (module === 'builtin:copy') for (const t of targets(step.options.dest_dirs, plugin.name)) out.add(t);
  if (module === 'builtin:move' && step.options.dest_dir && !path.isAbsolute(step.options.dest_dir)) {
    for (const t of targets(step.options.dest_dir, plugin.name)) out.add(t);
  }
  if (module === 'builtin:switch') {
    const name = step.options.switch_name?.trim() || plugin.name;
    for (const p of plugins) for (const rule of p.switchRules ?? []) {
      if (rule.switchName === name) for (const t of rule.targets) out.add(`${t.plugin}/${t.step}`);
    }
    out.add((step.options.switch_no_match_policy?.trim() || 'delete') === 'keep' ? TRACE_NOMATCH_KEEP : TRACE_NOMATCH_DELETE);
  }
  return [...out].sort();
}

/** Every plugin's generated configuration (`tmp/config_auto/plugins/*.json`); unreadable ones are skipped. */
export function readGeneratedPlugins(home: RuntimeHome): PluginConfig[] {
  const dir = path.join(home.configAutoDir, 'plugins');
  let names: string[] = [];
  try { names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')); } catch { return []; }
  const plugins: PluginConfig[] = [];
  for (const n of names) {
    try { plugins.push(JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')) as PluginConfig); } catch { /* being rewritten */ }
  }
  return plugins;
}

/** The `plugin/step`s of the generated configuration; undefined before the first generation (nothing to compare with). */
export function configuredStepsOf(home: RuntimeHome): ReadonlySet<string> | undefined {
  const plugins = readGeneratedPlugins(home);
  return plugins.length === 0 ? undefined : new Set(plugins.flatMap((p) => p.steps.map((s) => `${p.name}/${s.name}`)));
}

/** Registers the step's configured edges with count 0 (one round trip). */
export async function registerConfiguredEdges(home: RuntimeHome, plugin: PluginConfig, step: StepConfig, state: StepState): Promise<string[]> {
  const plugins = step.stepModule === 'builtin:switch' ? readGeneratedPlugins(home) : [plugin];
  const tos = configuredTargets(plugin, step, plugins);
  await state.virtualTraces(tos);
  return tos;
}
