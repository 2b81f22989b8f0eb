// Wires the configuration language service into VS Code: diagnostics, providers, the create-directory quick fix,
// the read-only view of generated files, and re-checks when plugins change on disk or the home moves.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RuntimeMonitor } from '../services/runtimeMonitor';
import type { RuntimeWorkspace } from '../services/workspace';
import { DiagnosticsController } from './diagnostics';
import { isSwappedForReadonly, registerGeneratedFiles } from './generatedFiles';
import { MonitorLiveFigures } from './liveFigures';
import { CREATE_DIRECTORY_COMMAND, registerProviders } from './providers';
import { DiskEnvironment } from './service/environment';
import { ConfigLanguageService } from './service/service';

export interface LanguageServices {
  workspace: RuntimeWorkspace;
  monitor: RuntimeMonitor;
}

/** What the in-host tests reach through the extension's API. */
export interface LanguageApi {
  service(): ConfigLanguageService;
  /** Re-reads the plugins on disk and re-checks every open configuration file. */
  refresh(): void;
}

function setting<T>(name: string, fallback: T): T {
  return vscode.workspace.getConfiguration('mfdata.language').get<T>(name, fallback);
}

export function registerLanguageFeatures(context: vscode.ExtensionContext, services: LanguageServices): LanguageApi {
  const { workspace, monitor } = services;
  const live = new MonitorLiveFigures(monitor, () => setting('liveFigures', true));
  let current: { home: string; root?: string; env: DiskEnvironment; service: ConfigLanguageService } | undefined;
  // Rebuilt when the home or the project folder changes; otherwise one service, its caches kept.
  const service = (): ConfigLanguageService => {
    const home = workspace.home()?.root ?? context.globalStorageUri.fsPath;
    if (!current || current.home !== home || current.root !== workspace.root) {
      const env = new DiskEnvironment({ workspace: workspace.root, home, env: process.env });
      current = { home, root: workspace.root, env, service: new ConfigLanguageService(env, live) };
    }
    return current.service;
  };
  const configAutoDir = (): string | undefined => workspace.home()?.configAutoDir;
  const diagnostics = new DiagnosticsController(service, () => Math.max(0, setting('diagnosticsDelay', 300)),
    (doc) => isSwappedForReadonly(doc.uri, configAutoDir()));
  const refresh = (): void => {
    service();
    current!.env.invalidate();
    current!.service.invalidate();
    diagnostics.checkAll();
  };
  // A plugin added, a step renamed, mfdata.ini turning on internal plugins: targets and queues change meaning.
  const watcher = vscode.workspace.createFileSystemWatcher('**/{config.ini,mfdata.ini,*.ts,*.js}');
  let pending: NodeJS.Timeout | undefined;
  const onDisk = (): void => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(refresh, 500);
  };

  context.subscriptions.push(
    diagnostics,
    watcher,
    watcher.onDidCreate(onDisk),
    watcher.onDidChange(onDisk),
    watcher.onDidDelete(onDisk),
    { dispose: () => pending && clearTimeout(pending) },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mfdata.home')) refresh();
    }),
    ...registerProviders(service),
    ...registerGeneratedFiles(configAutoDir),
    vscode.commands.registerCommand(CREATE_DIRECTORY_COMMAND, async (dir: string, uri?: vscode.Uri) => {
      try {
        fs.mkdirSync(dir, { recursive: true });
      } catch (err) {
        void vscode.window.showErrorMessage(`MFDATA: cannot create ${dir}: ${(err as Error).message}`);
        return;
      }
      const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) diagnostics.check(doc);
      else diagnostics.checkAll();
    }),
  );
  return { service, refresh };
}
