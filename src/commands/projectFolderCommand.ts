// "MFDATA: Select Project Folder": which folder of a multi-root window the runtime follows (remembered in workspace state).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProjectWorkspace } from '../services/workspace';
import { CancelledError, registerCommand, type CommandContext } from './context';

/**
 * The command takes an optional folder path (tests, keybindings); without one it offers a quick pick of the
 * folders holding an MFDATA project (every local folder when none does). Resolves to the chosen folder's path.
 */
export function registerProjectFolderCommand(ctx: CommandContext, workspace: ProjectWorkspace): vscode.Disposable {
  return registerCommand(ctx, 'mfdata.selectProjectFolder', async (arg?: unknown) => {
    const local = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (local.length === 0) throw new Error('MFDATA: Select Project Folder needs a folder open on the local file system.');
    let folder: vscode.WorkspaceFolder | undefined;
    if (typeof arg === 'string' && arg !== '') {
      folder = local.find((f) => f.uri.fsPath === path.resolve(arg) || f.name === arg);
      if (!folder) throw new Error(`MFDATA: Select Project Folder: "${arg}" is not a folder of this workspace (folders: ${local.map((f) => f.name).join(', ')}).`);
    } else {
      const projects = workspace.projectFolders;
      const offered = projects.length > 0 ? projects : local;
      const picked = await vscode.window.showQuickPick(
        offered.map((f) => ({ label: f.name, description: f.uri.fsPath, detail: f.uri.fsPath === workspace.root ? 'current project folder' : undefined, folder: f })),
        { title: 'MFDATA: the folder whose runtime this window starts and shows', placeHolder: 'project folder' },
      );
      if (!picked) throw new CancelledError();
      folder = picked.folder;
    }
    const setting = vscode.workspace.getConfiguration('mfdata').get<string>('projectFolder', '').trim();
    await workspace.remember(folder);
    if (setting && workspace.root !== folder.uri.fsPath) {
      void vscode.window.showWarningMessage(`MFDATA: the setting mfdata.projectFolder ("${setting}") still decides the project folder; clear it to follow your choice.`);
    }
    ctx.log.info(`project folder: ${workspace.description}`);
    return workspace.root;
  });
}
