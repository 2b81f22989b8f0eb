// Loads the whole runtime configuration: mfdata.ini, every plugin (workspace and installed) and overrides.
import * as path from 'node:path';
import { sortProblems, type ConfigProblem } from './errors';
import type { RuntimeConfig } from './model';
import { loadModuleConfig } from './module-config';
import { declaredSteps, discoverPlugins, loadPlugin } from './plugins';

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

export function loadRuntimeConfig(options: LoadOptions): LoadResult {
  const workspace = path.resolve(options.workspace);
  const home = path.resolve(options.home);
  const ctx = { env: options.env, home };
  const { module, problems } = loadModuleConfig(workspace, ctx);
  const discovered = discoverPlugins(workspace, home);
  problems.push(...discovered.problems);
  // Targets are checked against the steps every plugin declares, even a plugin that fails to load.
  const knownSteps = discovered.plugins.flatMap(declaredSteps).sort();
  const config: RuntimeConfig = { workspace, home, module, plugins: [] };
  const rejectedPlugins: string[] = [];
  for (const found of discovered.plugins) {
    const loaded = loadPlugin(found, { ...ctx, knownSteps });
    problems.push(...loaded.problems);
    if (loaded.plugin) config.plugins.push(loaded.plugin);
    else rejectedPlugins.push(found.name);
  }
  return { config, problems: sortProblems(problems), rejectedPlugins };
}
