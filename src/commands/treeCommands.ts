// Tree-item actions on watchers, steps and plugins: start/stop/restart a watcher, scale a step's
// workers, open a plugin's config.ini, refresh the views (step debugging: src/debug).
import * as vscode from 'vscode';
import type { WatcherStatus } from '../../runtime/supervisor/protocol';
import type { NodeModel } from '../views/model';
import { CancelledError, registerCommand, type CommandContext } from './context';

function isNode(x: unknown): x is NodeModel {
  return typeof x === 'object' && x !== null && 'id' in x && 'kind' in x;
}

/** The watcher a command acts on: the tree node's, or one picked from the running runtime's watchers. */
async function pickWatcher(ctx: CommandContext, arg: unknown, filter: (w: WatcherStatus) => boolean = () => true): Promise<WatcherStatus> {
  const status = ctx.monitor.status;
  if (!status) throw new Error('The MFDATA runtime is not running: start it first (MFDATA: Start Runtime).');
  const name = isNode(arg) ? arg.watcher : typeof arg === 'string' ? arg : undefined;
  if (name) {
    const found = status.watchers.find((w) => w.name === name);
    if (!found) throw new Error(`The runtime has no watcher '${name}' (any more): refresh the view.`);
    return found;
  }
  const pick = await vscode.window.showQuickPick(
    status.watchers.filter(filter).map((w) => ({ label: w.name, description: w.state, watcher: w })),
    { title: 'MFDATA', placeHolder: 'Watcher' },
  );
  if (!pick) throw new CancelledError();
  return pick.watcher;
}

export function registerTreeCommands(ctx: CommandContext): vscode.Disposable[] {
  const control = (cmd: 'start' | 'stop' | 'restart') => async (arg: unknown) => {
    const w = await pickWatcher(ctx, arg);
    await ctx.monitor.client.request({ cmd, watcher: w.name });
    ctx.log.info(`${cmd} ${w.name}`);
    await ctx.monitor.client.refresh();
    return w.name;
  };
  return [
    registerCommand(ctx, 'mfdata.watcher.start', control('start')),
    registerCommand(ctx, 'mfdata.watcher.stop', control('stop')),
    registerCommand(ctx, 'mfdata.watcher.restart', control('restart')),
    registerCommand(ctx, 'mfdata.step.scale', async (arg: unknown, value?: unknown) => {
      const w = await pickWatcher(ctx, arg, (x) => x.kind === 'step');
      let count = typeof value === 'number' ? value : undefined;
      if (count === undefined) {
        const answer = await vscode.window.showInputBox({
          title: `MFDATA: workers of ${w.name}`,
          prompt: 'Number of worker processes (0 stops the step without removing it)',
          value: String(w.numprocesses),
          validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) <= 64 ? undefined : 'a whole number from 0 to 64'),
        });
        if (answer === undefined) throw new CancelledError();
        count = Number(answer.trim());
      }
      await ctx.monitor.client.request({ cmd: 'set_numprocesses', watcher: w.name, value: count });
      ctx.log.info(`${w.name}: numprocesses ${w.numprocesses} -> ${count}`);
      await ctx.monitor.client.refresh();
      return count;
    }),
    registerCommand(ctx, 'mfdata.plugin.openConfig', async (arg: unknown) => {
      const plugin = isNode(arg) ? arg.plugin : typeof arg === 'string' ? arg : undefined;
      const names = plugin ? [plugin] : ctx.workspace.plugins();
      const chosen = names.length === 1 ? names[0] : (await vscode.window.showQuickPick(names, { title: 'MFDATA: plugin' }));
      if (!chosen) throw new CancelledError();
      const file = ctx.workspace.pluginConfig(chosen);
      if (!file) throw new Error(`No config.ini found for plugin '${chosen}' in the workspace or the runtime home.`);
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      return file;
    }),
    registerCommand(ctx, 'mfdata.refreshViews', async () => {
      await ctx.monitor.client.refresh();
      await ctx.refresh.refreshNow();
      return ctx.monitor.snapshot;
    }),
  ];
}
