// The status bar item: stopped / starting / running / degraded (N failed watchers); a click opens the actions.
import * as vscode from 'vscode';
import { indicatorState } from '../services/runtimeState';
import { indicatorText, indicatorTooltip } from './statusText';
import type { RuntimeController } from '../services/runtimeController';
import type { RuntimeWorkspace } from '../services/workspace';

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
