// Where the runtime lives for this window: the project folder (multi-root: the one holding the MFDATA project), its runtime home, its plugins.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runtimeHome, type RuntimeHome } from '../../runtime/home';
import { resolveHome } from '../../runtime/cli/workspace';
import { chooseProjectFolder, describeChoice, type FolderChoice } from './projectFolder';
import { readSettings } from './settings';

/** workspaceState key of the folder picked with "MFDATA: Select Project Folder". */
export const REMEMBERED_FOLDER_KEY = 'mfdata.projectFolder';

export interface RuntimeWorkspace {
  /** The project folder (multi-root: chosen by src/services/projectFolder.ts), undefined without a local folder. */
  readonly folder?: vscode.WorkspaceFolder;
  /** Its path, or undefined without a folder open. */
  readonly root?: string;
  /** Which folder and why, for the output channel and tooltips. */
  readonly description: string;
  /** The runtime home (setting `mfdata.home`, else MFDATA_HOME, else `<workspace>/.mfdata`). */
  home(): RuntimeHome | undefined;
  /** Names of the plugins under `<workspace>/plugins/<name>/config.ini`. */
  plugins(): string[];
  /** config.ini of a plugin: from the workspace, else installed in the home. */
  pluginConfig(plugin: string): string | undefined;
}

/** The workspace of this window; re-chooses its folder when folders, the setting or the remembered pick change. */
export class ProjectWorkspace implements RuntimeWorkspace, vscode.Disposable {
  private choice!: FolderChoice;
  private chosen?: vscode.WorkspaceFolder;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the project folder (or its home) changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly state: vscode.Memento) {
    this.choose();
    // A folder gaining or losing its project changes the candidates.
    const projects = vscode.workspace.createFileSystemWatcher('**/{mfdata.ini,plugins/*/config.ini}', false, true, false);
    this.subscriptions = [
      projects,
      projects.onDidCreate(() => this.rechoose()),
      projects.onDidDelete(() => this.rechoose()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rechoose()),
      vscode.workspace.onDidChangeConfiguration((e) => (e.affectsConfiguration('mfdata.projectFolder') || e.affectsConfiguration('mfdata.home')) && this.rechoose(true)),
    ];
  }

  get folder(): vscode.WorkspaceFolder | undefined {
    return this.chosen;
  }

  get root(): string | undefined {
    return this.chosen?.uri.fsPath;
  }

  get description(): string {
    return describeChoice(this.choice);
  }

  /** Folders holding an MFDATA project, for the quick pick. */
  get projectFolders(): vscode.WorkspaceFolder[] {
    return localFolders().filter((f) => this.choice.projects.some((p) => p.path === f.uri.fsPath));
  }

  /** Several projects and nothing said which: the quick pick is worth offering. */
  get ambiguous(): boolean {
    return this.choice.ambiguous;
  }

  /** Remembers `folder` (workspace state) as this window's project folder. */
  async remember(folder: vscode.WorkspaceFolder): Promise<void> {
    await this.state.update(REMEMBERED_FOLDER_KEY, folder.uri.fsPath);
    this.rechoose();
  }

  home(): RuntimeHome | undefined {
    const root = this.root;
    if (!root) return undefined;
    const configured = readSettings(this.chosen?.uri).home;
    return runtimeHome(resolveHome(root, configured ? path.resolve(root, configured) : undefined, process.env));
  }

  plugins(): string[] {
    const root = this.root;
    if (!root) return [];
    const dir = path.join(root, 'plugins');
    try {
      return fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'config.ini'))).sort();
    } catch {
      return [];
    }
  }

  pluginConfig(plugin: string): string | undefined {
    const root = this.root;
    const home = this.home();
    const candidates = [root && path.join(root, 'plugins', plugin, 'config.ini'), home && path.join(home.installedPluginsDir, plugin, 'config.ini')];
    return candidates.find((c): c is string => !!c && fs.existsSync(c));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private choose(): void {
    const folders = localFolders();
    this.choice = chooseProjectFolder(
      folders.map((f) => ({ name: f.name, path: f.uri.fsPath })),
      {
        setting: vscode.workspace.getConfiguration('mfdata').get<string>('projectFolder', ''),
        remembered: this.state.get<string>(REMEMBERED_FOLDER_KEY),
      },
    );
    this.chosen = folders.find((f) => f.uri.fsPath === this.choice.folder?.path);
  }

  /** Chooses again; fires when the folder (or, with `always`, possibly its home) changed. */
  private rechoose(always = false): void {
    const before = this.root;
    this.choose();
    if (always || before !== this.root) this.changed.fire();
  }
}

function localFolders(): vscode.WorkspaceFolder[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
}
