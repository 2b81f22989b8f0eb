// Creates the three MFDATA views (Plugins, Queues, Processes) over one runtime monitor, refreshed by one RefreshManager.
import * as vscode from 'vscode';
import type { RuntimeMonitor } from '../services/runtimeMonitor';
import { messageNodes, pluginNodes, processNodes, queueNodes, type NodeModel } from './model';
import { RefreshManager } from './refreshManager';
import { ModelTreeProvider } from './treeProvider';

export interface MfdataViews {
  plugins: ModelTreeProvider;
  queues: ModelTreeProvider;
  processes: ModelTreeProvider;
  refresh: RefreshManager;
  /** The Plugins tree view itself (the flow view reveals steps in it). */
  pluginsView: vscode.TreeView<NodeModel>;
  disposables: vscode.Disposable[];
}

/** Extra content of the Plugins view (the trash browser): loaded with every refresh, then added to the nodes. */
export interface PluginsDecoration {
  load(): Promise<unknown>;
  decorate(plugins: NodeModel[]): NodeModel[];
}

/** How many messages a queue shows when expanded. */
const PEEK_COUNT = 10;

export function registerViews(monitor: RuntimeMonitor, trigger: vscode.Event<unknown>, intervalSeconds: () => number, pluginsExtra?: PluginsDecoration): MfdataViews {
  const plugins = new ModelTreeProvider(() => (pluginsExtra ? pluginsExtra.decorate(pluginNodes(monitor.snapshot)) : pluginNodes(monitor.snapshot)));
  const processes = new ModelTreeProvider(() => processNodes(monitor.snapshot));
  const queues = new ModelTreeProvider(
    () => queueNodes(monitor.snapshot),
    async (node: NodeModel) => (node.queue ? messageNodes(node.queue, await monitor.queues.peek(node.queue, PEEK_COUNT).catch(() => [])) : []),
  );
  const views = [
    { id: 'mfdata.views.plugins', provider: plugins },
    { id: 'mfdata.views.queues', provider: queues },
    { id: 'mfdata.views.processes', provider: processes },
  ].map(({ id, provider }) => ({ view: vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: id !== 'mfdata.views.queues' }), provider }));
  const refresh = new RefreshManager(
    views.map(({ view, provider }) => ({ view: view as vscode.TreeView<unknown>, refresh: () => provider.refresh() })),
    () => Promise.all([monitor.reload(), pluginsExtra?.load()]),
    trigger,
    intervalSeconds,
  );
  const pluginsView = views[0].view as vscode.TreeView<NodeModel>;
  return { plugins, queues, processes, refresh, pluginsView, disposables: [...views.map((v) => v.view), plugins, queues, processes, refresh] };
}
