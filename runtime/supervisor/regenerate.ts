// Regenerates `<home>/tmp/config_auto` from the workspace and home, or refuses when the configuration
// has errors (then nothing is written and the running setup stays as it is). Used by `mfdata start` and conf_monitor.
import * as path from 'node:path';
import { formatProblem, hasErrors, type ConfigProblem } from '../config/errors';
import { generateConfigAuto } from '../config/generate';
import { writeConfigAuto } from '../config/generate/write';
import { loadRuntimeConfig } from '../config/load';
import { runtimeEntry } from '../util/runtime-entry';

export interface RegenerateResult {
  /** `file:line:col: error: message (hint)` lines; when non-empty nothing was written. */
  errors: string[];
  warnings: string[];
  /** config_auto files (relative paths) whose content changed or that were removed. */
  changed: string[];
}

/** The configuration's problems as `file:line:col` lines, without writing anything (what start would refuse on). */
export function checkConfiguration(workspace: string, home: string, env: NodeJS.ProcessEnv = process.env): Pick<RegenerateResult, 'errors' | 'warnings'> {
  return problemLines(loadRuntimeConfig({ workspace, home, env }).problems);
}

function problemLines(problems: readonly ConfigProblem[]): Pick<RegenerateResult, 'errors' | 'warnings'> {
  return {
    errors: problems.filter((p) => p.severity === 'error').map(formatProblem),
    warnings: problems.filter((p) => p.severity === 'warning').map(formatProblem),
  };
}

export function regenerateConfigAuto(workspace: string, home: string, env: NodeJS.ProcessEnv = process.env): RegenerateResult {
  const loaded = loadRuntimeConfig({ workspace, home, env });
  const { errors, warnings } = problemLines(loaded.problems);
  if (hasErrors(loaded.problems)) return { errors, warnings, changed: [] };
  // observer.js, worker.js, conf-monitor.js sit next to supervisor.js in dist/runtime.
  const runtimeDir = path.dirname(runtimeEntry('supervisor', env));
  const written = writeConfigAuto(home, generateConfigAuto(loaded.config, { runtimeDir, nodePath: process.execPath }));
  return { errors, warnings, changed: [...written.changed, ...written.removed] };
}
