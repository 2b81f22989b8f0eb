// Where the runtime lives for this window: the workspace folder, its runtime home, its plugins.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runtimeHome, type RuntimeHome } from '../../runtime/home';
import { resolveHome } from '../../runtime/cli/workspace';
import { readSettings } from './settings';

export interface RuntimeWorkspace {
  /** The first workspace folder (multi-root: the runtime follows the first folder). */
  folder?: vscode.WorkspaceFolder;
  /** Its path, or undefined without a folder open. */
  readonly root?: string;
  /** The runtime home (setting `mfdata.home`, else MFDATA_HOME, else `<workspace>/.mfdata`). */
  home(): RuntimeHome | undefined;
  /** Names of the plugins under `<workspace>/plugins/<name>/config.ini`. */
  plugins(): string[];
  /** config.ini of a plugin: from the workspace, else installed in the home. */
  pluginConfig(plugin: string): string | undefined;
}

export function currentWorkspace(): RuntimeWorkspace {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const root = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
  const home = (): RuntimeHome | undefined => {
    if (!root) return undefined;
    const configured = readSettings(folder?.uri).home;
    const dir = resolveHome(root, configured ? path.resolve(root, configured) : undefined, process.env);
    return runtimeHome(dir);
  };
  return {
    folder,
    root,
    home,
    plugins(): string[] {
      if (!root) return [];
      const dir = path.join(root, 'plugins');
      try {
        return fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'config.ini'))).sort();
      } catch {
        return [];
      }
    },
    pluginConfig(plugin: string): string | undefined {
      const candidates = [root && path.join(root, 'plugins', plugin, 'config.ini'), home() && path.join(home()!.installedPluginsDir, plugin, 'config.ini')];
      return candidates.find((c): c is string => !!c && fs.existsSync(c));
    },
  };
}
