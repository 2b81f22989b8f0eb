// Wires step debugging into VS Code: the `mfdata` debug type's provider, the "Debug Step" and "Debug Step on This
// File" commands, and the tree's knowledge of which steps this window debugs.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, registerCommand, type CommandContext } from '../commands/context';
import type { NodeModel } from '../views/model';
import { knownSteps, MfdataConfigurationProvider, pickStep } from './configurationProvider';
import type { MfdataDebugMarker } from './launchConfig';
import { StepDebugger } from './stepDebugger';

export interface DebugLaunchResult {
  id: string;
  started: boolean;
  watcher: string;
  /** Debug mode: where the run's report goes. */
  report?: string;
}

type StepRef = { plugin: string; step: string };

function stepOf(arg: unknown): StepRef | undefined {
  if (typeof arg === 'string') {
    const m = /^step\.([^.]+)\.(.+)$/.exec(arg) ?? /^([^/]+)\/(.+)$/.exec(arg);
    return m ? { plugin: m[1], step: m[2] } : undefined;
  }
  if (typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri)) {
    const n = arg as Partial<NodeModel> & Partial<StepRef>;
    if (typeof n.plugin === 'string' && typeof n.step === 'string') return { plugin: n.plugin, step: n.step };
  }
  return undefined;
}

function result(m: MfdataDebugMarker, started: boolean): DebugLaunchResult {
  return { id: m.id, started, watcher: m.watcher, report: m.report };
}

export function registerDebug(context: vscode.ExtensionContext, ctx: CommandContext): { stepDebugger: StepDebugger; disposables: vscode.Disposable[] } {
  const stepDebugger = new StepDebugger({
    workspace: ctx.workspace, launcher: ctx.launcher, monitor: ctx.monitor, log: ctx.log, runtimeDir: path.join(context.extensionPath, 'dist', 'runtime'),
  });
  // The Plugins view shows a handed-over step this window debugs as "debugging".
  ctx.monitor.debuggingWatchers = () => stepDebugger.debuggingWatchers();
  const provider = new MfdataConfigurationProvider(ctx.workspace, stepDebugger, ctx.log);
  const disposables: vscode.Disposable[] = [
    stepDebugger,
    stepDebugger.onDidChange(() => void ctx.refresh.refreshNow()),
    vscode.debug.registerDebugConfigurationProvider('mfdata', provider),
    vscode.debug.registerDebugConfigurationProvider('mfdata', { provideDebugConfigurations: () => provider.provideDebugConfigurations() }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    registerCommand(ctx, 'mfdata.step.debug', async (arg: unknown) => {
      if (!vscode.workspace.isTrusted) throw new Error('Debugging runs the plugin code of this folder: trust the workspace first.');
      let target = stepOf(arg);
      if (!target) {
        const running = (ctx.monitor.status?.watchers ?? []).filter((w) => w.kind === 'step' && w.plugin && w.step).map((w) => ({ plugin: w.plugin!, step: w.step! }));
        target = await pickStep(running.length > 0 ? running : knownSteps(ctx.workspace), 'MFDATA: debug which step (on its queue)?');
        if (!target) throw new CancelledError();
      }
      const { marker, started } = await stepDebugger.launch({ type: 'mfdata', request: 'launch', name: `MFDATA: ${target.plugin}/${target.step}`, ...target });
      return result(marker, started);
    }),
    registerCommand(ctx, 'mfdata.step.debugFile', async (arg: unknown, stepArg?: unknown) => {
      if (!vscode.workspace.isTrusted) throw new Error('Debugging runs the plugin code of this folder: trust the workspace first.');
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri || uri.scheme !== 'file') throw new Error('Pick a file in the Explorer (right click > MFDATA: Debug Step on This File) or open it in an editor first.');
      const target = stepOf(stepArg) ?? (await pickStep(knownSteps(ctx.workspace), `MFDATA: which step processes ${path.basename(uri.fsPath)}?`));
      if (!target) throw new CancelledError();
      const { marker, started } = await stepDebugger.launch({
        type: 'mfdata', request: 'launch', name: `MFDATA: ${target.plugin}/${target.step} on ${path.basename(uri.fsPath)}`, ...target, file: uri.fsPath,
      });
      return result(marker, started);
    }),
  ];
  return { stepDebugger, disposables };
}
