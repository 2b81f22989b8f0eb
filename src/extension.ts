// Composition root of the extension: builds the services and hands them to views and commands.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RUNTIME_VERSION } from '../runtime/version';
import { registerCreatePlugin } from './commands/createPlugin';
import { registerProjectFolderCommand } from './commands/projectFolderCommand';
import { registerDebug } from './debug/registerDebug';
import { registerFlow, type FlowApi } from './flow/registerFlow';
import { registerTrashCommands } from './flow/trashCommands';
import { TrashBrowser } from './flow/trashBrowser';
import type { StepDebugger } from './debug/stepDebugger';
import { registerQueueCommands } from './commands/queueCommands';
import { registerRuntimeCommands } from './commands/runtimeCommands';
import { registerTreeCommands } from './commands/treeCommands';
import { registerLanguageFeatures } from './language/registerLanguageFeatures';
import { registerLogs, type LogsApi } from './logs/registerLogs';
import { registerMetrics, type MetricsApi } from './metrics/registerMetrics';
import type { CommandContext } from './commands/context';
import { ControlClient } from './runtime/client';
import { RuntimeLauncher } from './runtime/launcher';
import { RedisQueueInspector } from './runtime/queues';
import { RedisAddressResolver } from './runtime/redisAddress';
import { RuntimeController } from './services/runtimeController';
import { RuntimeMonitor } from './services/runtimeMonitor';
import { readSettings } from './services/settings';
import { ProjectWorkspace } from './services/workspace';
import { registerViews, type MfdataViews } from './views/registerViews';
import { createStatusBar } from './views/statusBar';

/** What activate() returns: the services, for other extensions and for the in-host tests. */
export interface MfdataApi {
  version: string;
  controller: RuntimeController;
  monitor: RuntimeMonitor;
  views: Pick<MfdataViews, 'plugins' | 'queues' | 'processes' | 'refresh' | 'pluginsView'>;
  logs: LogsApi;
  debug: StepDebugger;
  metrics: MetricsApi;
  /** The flow and journey views (#12). */
  flow: FlowApi;
  /** The project folder the runtime follows (multi-root: chosen, docs/VIEWS.md "Project folder"). */
  workspace: ProjectWorkspace;
  /** The status bar item (its tooltip names the project folder). */
  statusBar: vscode.StatusBarItem;
}

export function activate(context: vscode.ExtensionContext): MfdataApi {
  const log = vscode.window.createOutputChannel('MFDATA', { log: true });
  const workspace = new ProjectWorkspace(context.workspaceState);
  const home = workspace.home();
  // Without a folder there is no home; the client then follows a socket that never answers.
  const socket = home?.supervisorSocket ?? path.join(context.globalStorageUri.fsPath, 'no-workspace.sock');
  const launcher = new RuntimeLauncher(path.join(context.extensionPath, 'dist', 'runtime'), () => readSettings(workspace.folder?.uri));
  const redisAddress = new RedisAddressResolver();
  const monitor = new RuntimeMonitor(
    new ControlClient(socket),
    // mfdata.ini may name an external Redis (or another socket for ours): read it as the runtime does.
    new RedisQueueInspector(() => {
      const current = workspace.home();
      return workspace.root && current ? redisAddress.address(workspace.root, current.root) : socket;
    }),
  );
  const controller = new RuntimeController(workspace, launcher, monitor);
  const trash = new TrashBrowser(() => workspace.home());
  const views = registerViews(monitor, controller.onDidChangeState, () => readSettings(workspace.folder?.uri).refreshSeconds, trash);
  const logs = registerLogs(context, { workspace, log });
  registerLanguageFeatures(context, { workspace, monitor });
  const ctx: CommandContext = { workspace, launcher, monitor, controller, refresh: views.refresh, log };
  const debug = registerDebug(context, ctx);
  const metrics = registerMetrics(context, ctx, () => readSettings(workspace.folder?.uri).refreshSeconds);
  const flow = registerFlow(context, ctx, views, (file) => trash.entry(file)?.tags);
  // Another project folder (folders added/removed, the setting, the pick) or another home: follow its runtime.
  const followed = workspace.onDidChange(() => {
    monitor.client.retarget(workspace.home()?.supervisorSocket ?? socket);
    log.info(`project folder: ${workspace.description}; home ${workspace.home()?.root ?? '(none)'}`);
    controller.update();
    void views.refresh.refreshNow();
    logs.refresh();
  });

  // readSettings reads mfdata.refreshSeconds afresh, but running timers keep the interval they were armed with.
  const refreshInterval = vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('mfdata.refreshSeconds')) return;
    views.refresh.intervalChanged();
    metrics.api.panel.intervalChanged();
  });

  const statusBar = createStatusBar(controller, workspace);
  context.subscriptions.push(
    log,
    workspace,
    followed,
    refreshInterval,
    registerProjectFolderCommand(ctx, workspace),
    monitor,
    controller,
    ...views.disposables,
    statusBar.disposable,
    ...registerRuntimeCommands(ctx),
    ...registerTreeCommands(ctx),
    ...registerQueueCommands(ctx),
    registerCreatePlugin(ctx),
    ...debug.disposables,
    ...metrics.disposables,
    ...flow.disposables,
    ...registerTrashCommands(ctx, trash),
    vscode.commands.registerCommand('mfdata.showVersion', () => {
      void vscode.window.showInformationMessage(`MFDATA for VS Code ${RUNTIME_VERSION}`);
      return RUNTIME_VERSION;
    }),
  );
  log.info(`activated: project folder ${workspace.description}, home ${home?.root ?? '(none)'}, state ${controller.state}`);
  return { version: RUNTIME_VERSION, controller, monitor, views, logs, debug: debug.stepDebugger, metrics: metrics.api, flow: flow.api, workspace, statusBar: statusBar.item };
}

export function deactivate(): void {
  // Services are disposed through context.subscriptions. The runtime keeps running: it is a daemon
  // the CLI and the next window can attach to; MFDATA: Stop Runtime stops it.
}
