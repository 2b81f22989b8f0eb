// The `mfdata` debug type: initial launch.json entries, a picker for a missing plugin/step, and the resolution of
// an `mfdata` configuration into js-debug's `node` launch, started as its own session (js-debug resolves it as usual).
import * as vscode from 'vscode';
import { listKnownSteps } from '../../runtime/config/load';
import type { RuntimeWorkspace } from '../services/workspace';
import { DebugConfigurationError, initialConfigurations, type MfdataDebugConfiguration } from './launchConfig';
import type { StepDebugger } from './stepDebugger';

/** Every `plugin/step` of the workspace and the home (steps whose config loads). */
export function knownSteps(workspace: RuntimeWorkspace): Array<{ plugin: string; step: string }> {
  const home = workspace.home();
  if (!workspace.root || !home) return [];
  try {
    return listKnownSteps(workspace.root, home.root).map((s) => {
      const [plugin, step] = s.split('/');
      return { plugin, step };
    });
  } catch {
    return [];
  }
}

/** Asks for a step; undefined when dismissed. */
export async function pickStep(steps: Array<{ plugin: string; step: string }>, title: string): Promise<{ plugin: string; step: string } | undefined> {
  if (steps.length === 0) throw new DebugConfigurationError('No MFDATA plugin step in this workspace (plugins/<name>/config.ini with [step_<name>] sections).');
  const pick = await vscode.window.showQuickPick(steps.map((s) => ({ label: `${s.plugin}/${s.step}`, s })), { title, placeHolder: 'plugin/step' });
  return pick?.s;
}

export class MfdataConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly workspace: RuntimeWorkspace,
    private readonly debuggerService: StepDebugger,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return initialConfigurations(knownSteps(this.workspace));
  }

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    const wanted = config as vscode.DebugConfiguration & MfdataDebugConfiguration;
    if (!wanted.plugin || !wanted.step) {
      const picked = await pickStep(knownSteps(this.workspace), wanted.file ? 'MFDATA: debug which step on this file?' : 'MFDATA: debug which step?');
      if (!picked) return undefined;
      wanted.plugin = picked.plugin;
      wanted.step = picked.step;
    }
    try {
      await this.debuggerService.launch(wanted, folder);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`debug ${wanted.plugin}/${wanted.step}: ${message}`);
      void vscode.window.showErrorMessage(`MFDATA: ${message}`);
    }
    // The `node` session was started on its own (so js-debug resolves it as any node launch); undefined ends
    // this `mfdata` launch quietly.
    return undefined;
  }
}
