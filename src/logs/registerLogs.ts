// Wires the log feature: one LogFeed over the current <home>/log feeding the log panel and the MFDATA LogOutputChannel,
// the `mfdata.showLogs` command (also "Show Logs" on plugin and step tree items) and the panel's open actions.
import * as vscode from 'vscode';
import type { RuntimeWorkspace } from '../services/workspace';
import { channelLine } from './channelLine';
import { LOG_VIEW_ID, LogPanel } from './logPanel';
import { LogFeed } from './logFeed';

export interface LogServices {
  workspace: RuntimeWorkspace;
  /** The MFDATA LogOutputChannel: runtime records are appended with their `[plugin/step]` category. */
  log: vscode.LogOutputChannel;
}

/** What the in-host tests reach through the extension's API. */
export interface LogsApi {
  panel: LogPanel;
  /** Re-checks the home, then reads the log files now instead of waiting for the next file event or poll. */
  refresh(): void;
  /** The log directory followed now. */
  following(): string | undefined;
}

/** A tree node or any object naming a plugin and optionally a step. */
interface LogTarget {
  plugin?: string;
  step?: string;
}

export function registerLogs(context: vscode.ExtensionContext, services: LogServices): LogsApi {
  const { workspace, log } = services;
  const panel = new LogPanel(vscode.Uri.joinPath(context.extensionUri, 'media', 'logs'), {
    openConfig: (plugin, step) => openConfig(workspace, plugin, step),
    openFile: (spec) => openFileAt(spec),
    showJourney: async (query) => void (await vscode.commands.executeCommand('mfdata.showJourney', query)),
  });
  // Follows the CURRENT home's log directory: re-synced when the setting mfdata.home changes.
  const feed = new LogFeed({
    logDir: () => workspace.home()?.logDir,
    onSwitch: (from, to) => {
      // Records of another runtime would mislead: the panel starts over with the new home's history.
      if (from !== undefined) panel.clear();
      if (from !== undefined || to !== undefined) log.info(`following the runtime logs in ${to ?? '(no runtime home)'}`);
    },
    onEntries: (entries, initial) => {
      panel.append(entries);
      // The channel is a live feed: history stays in the panel and in `mfdata logs`.
      if (initial) return;
      for (const entry of entries) {
        const line = channelLine(entry);
        log[line.level](line.text);
      }
    },
  });
  feed.sync();
  context.subscriptions.push(
    panel,
    feed,
    // The home is the setting mfdata.home, else MFDATA_HOME, else <workspace>/.mfdata (runtime/cli/workspace.ts).
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('mfdata.home') && feed.sync()),
    vscode.window.registerWebviewViewProvider(LOG_VIEW_ID, panel),
    vscode.commands.registerCommand('mfdata.showLogs', async (target?: LogTarget) => {
      panel.setFilter({ plugin: target?.plugin ?? '', step: target?.step ?? '' });
      await vscode.commands.executeCommand(`${LOG_VIEW_ID}.focus`);
    }),
  );
  return {
    panel,
    refresh: () => {
      feed.sync();
      feed.read();
    },
    following: () => feed.following,
  };
}

async function openConfig(workspace: RuntimeWorkspace, plugin: string, step: string | undefined): Promise<void> {
  const file = workspace.pluginConfig(plugin);
  if (!file) {
    void vscode.window.showWarningMessage(`No config.ini found for plugin '${plugin}' (looked in plugins/${plugin}/ and the installed plugins).`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(file);
  const line = step ? doc.getText().split(/\r?\n/).findIndex((l) => l.trim() === `[step_${step}]`) : -1;
  const at = new vscode.Position(Math.max(0, line), 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: true });
}

/** `path`, `path:line` or `path:line:column` (mflog's exception_file). */
async function openFileAt(spec: string): Promise<void> {
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(spec);
  const file = m ? m[1] : spec;
  const at = new vscode.Position(m ? Math.max(0, Number(m[2]) - 1) : 0, m?.[3] ? Math.max(0, Number(m[3]) - 1) : 0);
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: true });
  } catch (err) {
    void vscode.window.showWarningMessage(`Cannot open ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
