// The extension's settings (`mfdata.*`), read fresh on every call so a change applies without a reload.
import * as vscode from 'vscode';
import type { LauncherSettings } from '../runtime/launcher';

export interface MfdataSettings extends LauncherSettings {
  /** Runtime home ('' = `<workspace>/.mfdata`, or MFDATA_HOME). */
  home: string;
  /** Seconds between view refreshes while a view is visible and no event arrives. */
  refreshSeconds: number;
}

export function readSettings(scope?: vscode.Uri): MfdataSettings {
  const c = vscode.workspace.getConfiguration('mfdata', scope);
  return {
    nodePath: c.get<string>('nodePath', '').trim(),
    redisServerPath: c.get<string>('redisServerPath', '').trim(),
    home: c.get<string>('home', '').trim(),
    refreshSeconds: Math.max(1, c.get<number>('refreshSeconds', 5)),
  };
}
