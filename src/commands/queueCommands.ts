// Queue actions: purge a step queue (after a modal confirmation), inject a file into a step.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NodeModel } from '../views/model';
import { CancelledError, location, registerCommand, type CommandContext } from './context';

function isNode(x: unknown): x is NodeModel {
  return typeof x === 'object' && x !== null && 'id' in x && 'kind' in x;
}

/** Options a caller (a test, another command) may pass instead of answering prompts. */
interface PurgeOptions {
  confirmed?: boolean;
}

export function registerQueueCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerCommand(ctx, 'mfdata.purgeQueue', async (arg: unknown, options?: unknown) => {
      let queue = isNode(arg) ? arg.queue : typeof arg === 'string' ? arg : undefined;
      if (!queue) {
        const queues = await ctx.monitor.queues.queues();
        if (queues.length === 0) throw new Error('No step queue in Redis (is the runtime running?).');
        const pick = await vscode.window.showQuickPick(
          queues.map((q) => ({ label: q.name, description: `${q.length} messages` })),
          { title: 'MFDATA: Purge Queue', placeHolder: 'Queue to empty' },
        );
        if (!pick) throw new CancelledError();
        queue = pick.label;
      }
      if (!(options as PurgeOptions | undefined)?.confirmed) {
        const answer = await vscode.window.showWarningMessage(
          `Purge ${queue}?`,
          { modal: true, detail: 'Every message waiting in this queue is deleted from Redis. The files stay in the inbox; the observer re-queues them at its next rescan.' },
          'Purge',
        );
        if (answer !== 'Purge') throw new CancelledError();
      }
      const removed = await ctx.monitor.queues.purge(queue);
      ctx.log.info(`purged ${queue}: ${removed} messages`);
      await ctx.refresh.refreshNow();
      return removed;
    }),
    registerCommand(ctx, 'mfdata.injectFile', async (arg: unknown, target?: unknown) => {
      // From the explorer the argument is the file; from a step node it is the step.
      const node = isNode(arg) ? arg : undefined;
      let file = arg instanceof vscode.Uri ? arg.fsPath : undefined;
      if (!file) {
        const picked = await vscode.window.showOpenDialog({ title: 'MFDATA: file to inject', canSelectMany: false, defaultUri: ctx.workspace.folder?.uri });
        if (!picked?.[0]) throw new CancelledError();
        file = picked[0].fsPath;
      }
      let plugin = node?.plugin;
      let step = node?.step;
      if (typeof target === 'object' && target !== null) ({ plugin, step } = target as { plugin?: string; step?: string });
      if (!plugin || !step) {
        const steps = (ctx.monitor.status?.watchers ?? []).filter((w) => w.kind === 'step' && w.plugin && w.step);
        const items = steps.length
          ? steps.map((w) => ({ label: `${w.plugin}/${w.step}`, plugin: w.plugin!, step: w.step! }))
          : ctx.workspace.plugins().map((p) => ({ label: `${p}/main`, plugin: p, step: 'main' }));
        const pick = await vscode.window.showQuickPick(items, { title: `MFDATA: inject ${path.basename(file)} into` });
        if (!pick) throw new CancelledError();
        ({ plugin, step } = pick);
      }
      const result = await ctx.launcher.cli(location(ctx), ['inject', file, '--plugin', plugin, '--step', step]);
      if (result.code !== 0) throw new Error(`mfdata inject ${path.basename(file)} into ${plugin}/${step} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`);
      ctx.log.info(`injected ${file} into ${plugin}/${step}`);
      void vscode.window.setStatusBarMessage(`MFDATA: ${path.basename(file)} injected into ${plugin}/${step}`, 5000);
      ctx.refresh.schedule(500);
      return { plugin, step, file };
    }),
  ];
}
