// Wires the flow feature: the flow view (MFDATA: Show Flow Graph), the journey view (MFDATA: Show Journey… from the
// palette, a queued message, a trash entry, an edge's recent file or a log record) and its reveal of steps in the
// Plugins view.
import * as vscode from 'vscode';
import { CancelledError, registerCommand, type CommandContext } from '../commands/context';
import type { NodeModel } from '../views/model';
import type { ModelTreeProvider } from '../views/treeProvider';
import { FlowPanel } from './flowPanel';
import { redisFlowSource } from './flowSource';
import { configuredStepsOf } from '../../runtime/flow/configured-edges';
import { JourneyPanel } from './journeyPanel';
import { journeyQuery, queuedIn } from './journeyModel';

export interface FlowApi {
  flow: FlowPanel;
  journey: JourneyPanel;
}

interface FlowViews {
  plugins: ModelTreeProvider;
  pluginsView: vscode.TreeView<NodeModel>;
}

/** Seconds between re-reads of the traces while the flow view is visible. */
const FLOW_REFRESH_MS = 2000;

export function registerFlow(context: vscode.ExtensionContext, ctx: CommandContext, views: FlowViews, trashTags?: (file: string) => Record<string, string> | undefined): { api: FlowApi; disposables: vscode.Disposable[] } {
  const media = vscode.Uri.joinPath(context.extensionUri, 'media', 'flow');
  const source = redisFlowSource(ctx.monitor.queues, () => {
    const home = ctx.workspace.home();
    return home ? configuredStepsOf(home) : undefined;
  });
  const journey = new JourneyPanel(media, source);
  const revealStep = async (plugin: string, step: string): Promise<string> => {
    await ctx.refresh.refreshNow();
    // getChildren fills lastRoots, which find() and getParent() (TreeView.reveal) read.
    await views.plugins.getChildren();
    const node = views.plugins.find(`step:${plugin}.${step}`);
    if (!node) {
      throw new Error(`The Plugins view has no step ${plugin}/${step} (is it configured and running?).`);
    }
    await views.pluginsView.reveal(node, { select: true, focus: true, expand: false });
    return node.id;
  };
  const flow = new FlowPanel(media, source, {
    revealStep: async (plugin, step) => void (await vscode.commands.executeCommand('mfdata.flow.revealStep', plugin, step)),
    showJourney: async (q) => void (await vscode.commands.executeCommand('mfdata.showJourney', q)),
    reloadFigures: () => ctx.monitor.reload(),
    figures: (n) => {
      if (n.kind !== 'step' || !n.plugin || !n.step) return undefined;
      const c = ctx.monitor.snapshot.counters.get(`${n.plugin}.${n.step}`);
      const queued = ctx.monitor.snapshot.queueLengths.get(`step.${n.plugin}.${n.step}`) ?? 0;
      return c ? `${c.processed} processed · ${c.failed} failed${queued ? ` · queue ${queued}` : ''}` : undefined;
    },
  }, () => FLOW_REFRESH_MS);
  const disposables = [
    flow,
    journey,
    registerCommand(ctx, 'mfdata.showFlow', async () => {
      await ctx.refresh.refreshNow().catch(() => undefined);
      return flow.show();
    }),
    // What a click on a step node runs (not in the palette): reveal plugin/step in the Plugins view.
    registerCommand(ctx, 'mfdata.flow.revealStep', async (plugin: unknown, step: unknown) => {
      if (typeof plugin !== 'string' || typeof step !== 'string') throw new Error('mfdata.flow.revealStep needs a plugin and a step name.');
      return revealStep(plugin, step);
    }),
    registerCommand(ctx, 'mfdata.showJourney', async (arg: unknown) => {
      let query = journeyQuery(arg, trashTags);
      if (!query) {
        query = (await vscode.window.showInputBox({ title: 'MFDATA: Show Journey', prompt: 'A file\'s uid (first.core.original_uid) or original name', placeHolder: 'report.txt or 32 hex digits' }))?.trim();
        if (!query) throw new CancelledError();
      }
      return journey.show(query, queuedIn(arg));
    }),
  ];
  return { api: { flow, journey }, disposables };
}
