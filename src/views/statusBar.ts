// The status bar item: stopped / starting / running / degraded (N failed watchers); a click opens the actions.
import * as vscode from 'vscode';
import { indicatorState, type IndicatorState } from '../services/runtimeState';
import type { RuntimeController } from '../services/runtimeController';

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

export function createStatusBar(controller: RuntimeController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mfdata.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'MFDATA runtime';
  item.command = 'mfdata.statusActions';
  const render = (): void => {
    const { text, tooltip, warn } = indicatorText(indicatorState(controller.facts()));
    item.text = text;
    item.tooltip = tooltip;
    item.backgroundColor = warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  };
  render();
  item.show();
  const sub = controller.onDidChangeState(render);
  return vscode.Disposable.from(item, sub);
}
