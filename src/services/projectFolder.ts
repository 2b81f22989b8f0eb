// Which workspace folder holds the MFDATA project in a (multi-root) window: the pure choice, no vscode import.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FolderCandidate {
  /** The folder's name in the workspace (the .code-workspace `name`, else its base name). */
  name: string;
  /** Its path on the local file system. */
  path: string;
}

export interface FolderChoice {
  /** The folder the runtime follows; undefined without any local folder. */
  folder?: FolderCandidate;
  /** Folders that hold an MFDATA project (mfdata.ini or plugins/<name>/config.ini), in workspace order. */
  projects: FolderCandidate[];
  /** Why this folder: shown in the output channel and the status bar tooltip. */
  reason: 'setting' | 'remembered' | 'only-project' | 'first-project' | 'first-folder' | 'none';
  /** Several projects and neither the setting nor a remembered choice picked one: worth asking. */
  ambiguous: boolean;
  /** The `mfdata.projectFolder` setting names no folder of the workspace (the choice falls back). */
  settingUnmatched?: string;
}

/** True when `dir` holds an MFDATA project: `mfdata.ini`, or at least one `plugins/<name>/config.ini`. */
export function isMfdataProject(dir: string): boolean {
  if (fs.existsSync(path.join(dir, 'mfdata.ini'))) return true;
  try {
    return fs.readdirSync(path.join(dir, 'plugins')).some((n) => fs.existsSync(path.join(dir, 'plugins', n, 'config.ini')));
  } catch {
    return false;
  }
}

/** The candidate `wanted` names: its workspace name, its absolute path, or its base name. */
function matching(folders: readonly FolderCandidate[], wanted: string): FolderCandidate | undefined {
  const abs = path.isAbsolute(wanted) ? path.resolve(wanted) : undefined;
  return folders.find((f) => f.name === wanted)
    ?? folders.find((f) => abs !== undefined && path.resolve(f.path) === abs)
    ?? folders.find((f) => path.basename(f.path) === wanted);
}

/**
 * Picks the project folder. Order: the `mfdata.projectFolder` setting (a folder name or absolute path, any
 * folder even without a project: the user said so), then the folder remembered from "Select Project Folder"
 * (while it is still a project), then the only project, then the first project (ambiguous), then the first
 * folder (so a new project can be created there: a single-folder window behaves as before).
 */
export function chooseProjectFolder(
  folders: readonly FolderCandidate[],
  options: { setting?: string; remembered?: string; isProject?: (dir: string) => boolean } = {},
): FolderChoice {
  const isProject = options.isProject ?? isMfdataProject;
  const projects = folders.filter((f) => isProject(f.path));
  const setting = options.setting?.trim();
  let settingUnmatched: string | undefined;
  if (setting) {
    const named = matching(folders, setting);
    if (named) return { folder: named, projects, reason: 'setting', ambiguous: false };
    settingUnmatched = setting;
  }
  const remembered = options.remembered ? projects.find((f) => path.resolve(f.path) === path.resolve(options.remembered!)) : undefined;
  if (remembered) return { folder: remembered, projects, reason: 'remembered', ambiguous: false, settingUnmatched };
  if (projects.length === 1) return { folder: projects[0], projects, reason: 'only-project', ambiguous: false, settingUnmatched };
  if (projects.length > 1) return { folder: projects[0], projects, reason: 'first-project', ambiguous: true, settingUnmatched };
  if (folders.length > 0) return { folder: folders[0], projects, reason: 'first-folder', ambiguous: false, settingUnmatched };
  return { projects, reason: 'none', ambiguous: false, settingUnmatched };
}

/** One line for the output channel and tooltips: which folder and why. */
export function describeChoice(choice: FolderChoice): string {
  if (!choice.folder) return 'no local folder open';
  const why: Record<FolderChoice['reason'], string> = {
    setting: 'set by mfdata.projectFolder',
    remembered: 'chosen with MFDATA: Select Project Folder',
    'only-project': 'the only folder holding an MFDATA project',
    'first-project': `the first of ${choice.projects.length} MFDATA projects (MFDATA: Select Project Folder picks another)`,
    'first-folder': 'no folder holds an MFDATA project yet',
    none: '',
  };
  const unmatched = choice.settingUnmatched ? `; mfdata.projectFolder "${choice.settingUnmatched}" names no folder of this workspace` : '';
  return `${choice.folder.name} (${choice.folder.path}): ${why[choice.reason]}${unmatched}`;
}
