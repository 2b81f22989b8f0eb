// Loads the whole runtime configuration: mfdata.ini, every plugin (workspace and installed) and overrides.
import * as path from 'node:path';
import { sortProblems, type ConfigProblem } from './errors';
import type { RuntimeConfig } from './model';
import { loadModuleConfig } from './module-config';
import { declaredSteps, discoverPlugins, loadPlugin } from './plugins';
import { switchWiringProblems, type SwitchWiring } from './switch-wiring';
import { internalPlugins } from '../steps/internal-plugins';
import { withRetrySteps } from '../steps/retry';
import { receiverProblems } from '../receiver/config-check';

export interface LoadOptions {
  workspace: string;
  home: string;
  /** The environment `{{VAR}}` expansion reads (pass process.env, or a fixed map in tests). */
  env: Readonly<Record<string, string | undefined>>;
}

export interface LoadResult {
  /** Plugins with errors are left out of `config.plugins`; the other plugins still load. */
  config: RuntimeConfig;
  problems: ConfigProblem[];
  /** Names of the plugins left out because of errors. */
  rejectedPlugins: string[];
}

/** Every `plugin/step` the plugins declare (sorted): the `knownSteps` of checkDocument, for an editor. */
export function listKnownSteps(workspace: string, home: string): string[] {
  return discoverPlugins(path.resolve(workspace), path.resolve(home)).plugins.flatMap(declaredSteps).sort();
}

export function loadRuntimeConfig(options: LoadOptions): LoadResult {
  const workspace = path.resolve(options.workspace);
  const home = path.resolve(options.home);
  const ctx = { env: options.env, home };
  const { module, problems } = loadModuleConfig(workspace, ctx);
  const discovered = discoverPlugins(workspace, home);
  problems.push(...discovered.problems);
  // mfdata.ini [internal_plugins]: guess_file_type and switch are plugins like the others (targets, generation, workers).
  const internal = internalPlugins(module, home, new Set(discovered.plugins.map((p) => p.name)));
  // Targets are checked against the steps every plugin declares, even a plugin that fails to load.
  const knownSteps = [...discovered.plugins.flatMap(declaredSteps), ...internal.flatMap((p) => p.steps.map((s) => `${p.name}/${s.name}`))].sort();
  const config: RuntimeConfig = { workspace, home, module, plugins: [] };
  const rejectedPlugins: string[] = [];
  const wirings: SwitchWiring[] = [];
  for (const found of discovered.plugins) {
    const loaded = loadPlugin(found, { ...ctx, knownSteps });
    problems.push(...loaded.problems);
    if (loaded.wiring) wirings.push(loaded.wiring);
    // retry_total > 0: the hidden `<step>_reinject` sibling step (runtime/steps/retry.ts), as MFDATA generates it.
    if (loaded.plugin) config.plugins.push(withRetrySteps(loaded.plugin, home));
    else rejectedPlugins.push(found.name);
  }
  if (internal.length > 0) {
    config.plugins.push(...internal);
    config.plugins.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  const internalSwitches = internal.flatMap((p) => p.steps.filter((s) => s.stepModule === 'builtin:switch').map((s) => s.options.switch_name));
  problems.push(...switchWiringProblems(wirings, internalSwitches));
  problems.push(...receiverProblems(config));
  return { config, problems: sortProblems(problems), rejectedPlugins };
}
