// The status bar item: stopped / starting / running / degraded (N failed watchers); a click opens the actions.
import * as vscode from 'vscode';
import { indicatorState, type IndicatorState } from '../services/runtimeState';
import type { RuntimeController } from '../services/runtimeController';
import type { RuntimeWorkspace } from '../services/workspace';

export function indicatorText(s: IndicatorState): { text: string; tooltip: string; warn: boolean } {
  switch (s.kind) {
    case 'stopped':
      return { text: '$(circle-slash) MFDATA: stopped', tooltip: 'MFDATA runtime stopped: click for actions', warn: false };
    case 'starting':
      return { text: '$(sync~spin) MFDATA: starting', tooltip: 'MFDATA runtime starting', warn: false };
    case 'running':
      return { text: '$(pulse) MFDATA: running', tooltip: `MFDATA runtime running (${s.watchers} watchers): click for actions`, warn: false };
    case 'degraded':
      return {
        text: `$(warning) MFDATA: degraded (${s.failed.length} failed)`,
        tooltip: `MFDATA runtime degraded; failed watchers: ${s.failed.join(', ') || 'none reported'}`,
        warn: true,
      };
  }
}

/** The status bar tooltip: the state, then which folder (and home) the runtime belongs to. */
export function indicatorTooltip(stateTooltip: string, folder: string | undefined, home: string | undefined): string {
  if (!folder) return stateTooltip;
  return `${stateTooltip}\nProject folder: ${folder}${home ? `\nRuntime home: ${home}` : ''}`;
}

/** The item (read by the in-host tests) and what disposes it and its subscription. */
export function createStatusBar(controller: RuntimeController, workspace: RuntimeWorkspace): { item: vscode.StatusBarItem; disposable: vscode.Disposable } {
  const item = vscode.window.createStatusBarItem('mfdata.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'MFDATA runtime';
  item.command = 'mfdata.statusActions';
  const render = (): void => {
    const { text, tooltip, warn } = indicatorText(indicatorState(controller.facts()));
    item.text = text;
    item.tooltip = indicatorTooltip(tooltip, workspace.folder && `${workspace.folder.name} (${workspace.root})`, workspace.home()?.root);
    item.backgroundColor = warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  };
  render();
  item.show();
  const sub = controller.onDidChangeState(render);
  return { item, disposable: vscode.Disposable.from(item, sub) };
}
