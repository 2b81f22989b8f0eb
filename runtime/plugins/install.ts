// Install and uninstall `.plugin` archives into `<home>/var/plugins/<name>`: checked first, extracted aside, renamed in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { runtimeHome } from '../home';
import { readPluginArchive, type PluginArchive } from './archive';
import type { PluginMetadata } from './metadata';
import { pluginNameProblem, shownPluginName } from './names';
import { PluginToolError } from './errors';

export interface InstallOptions {
  /** Replace an installed plugin of the same name. */
  force?: boolean;
  /** Install under another name (a second switch instance, for example). */
  newName?: string;
}

export interface InstallResult {
  name: string;
  dir: string;
  metadata: PluginMetadata;
  replaced: boolean;
}

/** Kept in an installed plugin: what it was installed from (for `plugins info` and `plugins list`). */
export const INSTALLED_METADATA = '.metadata.json';

function writeEntries(root: string, archive: PluginArchive): void {
  // Directories first, then files, symlinks last: a symlink can never redirect a later write.
  const order = { directory: 0, file: 1, symlink: 2 } as const;
  const sorted = [...archive.entries].sort((a, b) => order[a.type] - order[b.type] || a.rel.localeCompare(b.rel));
  for (const e of sorted) {
    const target = path.join(root, ...e.rel.split('/'));
    if (!target.startsWith(root + path.sep)) throw new PluginToolError(archive.file, `refused: entry '${e.rel}' resolves outside the plugin directory`);
    if (e.type === 'directory') {
      fs.mkdirSync(target, { recursive: true, mode: (e.mode & 0o777) | 0o700 });
    } else if (e.type === 'file') {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      // No set-uid/set-gid/sticky bits from an archive; 'wx' never follows or overwrites anything.
      fs.writeFileSync(target, e.data, { flag: 'wx', mode: (e.mode & 0o777) | 0o600 });
      fs.chmodSync(target, (e.mode & 0o777) | 0o600);
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.symlinkSync(e.linkTarget ?? '', target);
    }
  }
}

/**
 * Installs a `.plugin` file. The archive is fully checked before anything is written, extracted into a
 * hidden temporary directory next to the destination, then renamed into place, so a running runtime
 * never sees a half-installed plugin. With `force`, the old directory is swapped out and removed.
 */
export function installPlugin(homeRoot: string, file: string, options: InstallOptions = {}): InstallResult {
  const archive = readPluginArchive(file);
  const name = options.newName ?? archive.metadata.name;
  if (!name) throw new PluginToolError(archive.file, 'the archive does not name its plugin', 'pass --new-name NAME');
  const bad = pluginNameProblem(name);
  if (bad) throw new PluginToolError(archive.file, bad, options.newName ? 'choose another --new-name' : 'rebuild the plugin under a valid name');
  const home = runtimeHome(homeRoot);
  const dest = path.join(home.installedPluginsDir, name);
  const exists = fs.existsSync(dest);
  if (exists && !options.force) {
    throw new PluginToolError(name, `already installed in ${dest}`, 'uninstall it first, or pass --force to replace it');
  }
  fs.mkdirSync(home.installedPluginsDir, { recursive: true });
  const staging = path.join(home.installedPluginsDir, `.install-${name}-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(staging, { mode: 0o755 });
  try {
    writeEntries(staging, archive);
    const metadata: PluginMetadata = { ...archive.metadata, name };
    fs.writeFileSync(path.join(staging, INSTALLED_METADATA), JSON.stringify(metadata, null, 2) + '\n');
    let old: string | undefined;
    if (exists) {
      old = path.join(home.installedPluginsDir, `.removing-${name}-${randomBytes(6).toString('hex')}`);
      fs.renameSync(dest, old);
    }
    try {
      fs.renameSync(staging, dest);
    } catch (err) {
      if (old) fs.renameSync(old, dest);
      throw err;
    }
    if (old) fs.rmSync(old, { recursive: true, force: true });
    return { name, dir: dest, metadata, replaced: exists };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

export interface UninstallResult {
  name: string;
  dir: string;
  /** The operator override `config/plugins/<name>.ini`, when `--clean` removed it. */
  removedOverride?: string;
}

/** Removes `<home>/var/plugins/<name>` (renamed away first, so it disappears at once); `clean` also drops its override. */
export function uninstallPlugin(homeRoot: string, name: string, options: { clean?: boolean } = {}): UninstallResult {
  const bad = pluginNameProblem(name);
  if (bad) throw new PluginToolError(shownPluginName(name), bad);
  const home = runtimeHome(homeRoot);
  const dir = path.join(home.installedPluginsDir, name);
  if (!fs.existsSync(dir)) {
    throw new PluginToolError(name, `not installed in ${home.installedPluginsDir}`, 'see `mfdata plugins list`; workspace plugins are removed by deleting plugins/<name>');
  }
  const gone = path.join(home.installedPluginsDir, `.removing-${name}-${randomBytes(6).toString('hex')}`);
  fs.renameSync(dir, gone);
  fs.rmSync(gone, { recursive: true, force: true });
  const result: UninstallResult = { name, dir };
  if (options.clean) {
    const override = path.join(home.configDir, 'plugins', `${name}.ini`);
    if (fs.existsSync(override)) {
      fs.rmSync(override);
      result.removedOverride = override;
    }
  }
  return result;
}
