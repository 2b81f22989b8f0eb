// MFDATA's internal plugins `guess_file_type` and `switch`, switched on in mfdata.ini [internal_plugins]:
// incoming/ → guess_file_type/main → switch/main → the plugins whose rules match.
import * as path from 'node:path';
import type { ModuleConfig, PluginConfig, StepConfig } from '../config/model';
import { runtimeHome, stepInbox } from '../home';
import { RUNTIME_VERSION } from '../version';

function step(name: string, stepModule: string, watchedDirectories: string[], options: Record<string, string>): StepConfig {
  return {
    name, stepModule, numprocesses: 1, debug: false, timeout: 600, processTimeout: 0, maxAge: 0, maxAgeVariance: 30,
    watchedDirectories, failurePolicy: 'keep', failurePolicyMoveDestDir: '', retryTotal: 0, retryMinWait: 10, retryMaxWait: 120,
    retryBackoff: 0, stepLimit: 1000, batchMaxSize: 100, batchMaxWait: 10, options,
  };
}

function plugin(name: string, steps: StepConfig[]): PluginConfig {
  return {
    // Built-ins have no plugin directory: the runtime's own code stands in (it exists, as a worker's cwd must).
    name, dir: __dirname, origin: 'installed', configFile: '',
    version: RUNTIME_VERSION, release: '1', summary: `internal ${name} plugin`, license: 'MIT', url: '', maintainer: 'mfdata', vendor: 'mfdata',
    steps, extraDaemons: [], custom: {}, switchRules: [],
  };
}

/**
 * The internal plugins the module configuration asks for, except those a workspace or installed plugin of
 * the same name replaces. The first one watches `[internal_plugins] watched_directories` (incoming/).
 */
export function internalPlugins(module: ModuleConfig, homeRoot: string, taken: ReadonlySet<string>): PluginConfig[] {
  const home = runtimeHome(homeRoot);
  const { installSwitch, installGuessFileType, watchedDirectories } = module.internalPlugins;
  const entry = (watchedDirectories.length > 0 ? watchedDirectories : ['incoming']).map((d) => (path.isAbsolute(d) ? path.normalize(d) : path.join(home.inDir, d)));
  const out: PluginConfig[] = [];
  if (installGuessFileType && !taken.has('guess_file_type')) {
    // Its own inbox too: ungzip and others send files back to guess_file_type/main for a second look.
    const inbox = stepInbox(home, 'guess_file_type', 'main');
    out.push(plugin('guess_file_type', [step('main', 'builtin:guess_file_type', [inbox, ...entry], { dest_dir: 'switch/main', ascii_header_max_length: '60' })]));
  }
  if ((installSwitch || installGuessFileType) && !taken.has('switch')) {
    const inbox = stepInbox(home, 'switch', 'main');
    out.push(plugin('switch', [step('main', 'builtin:switch', installGuessFileType ? [inbox] : [inbox, ...entry], {
      switch_name: 'switch', switch_no_match_policy: 'delete', switch_no_match_keep_original_basename: '0', switch_debug: '0',
    })]));
  }
  return out;
}
