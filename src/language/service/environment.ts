// The language service's view of a workspace on disk: which file is what, the steps plugins declare, where.
// Reads the files through runtime/config (discovery, module config, internal plugins); no editor involved.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runtimeHome } from '../../../runtime/home';
import { parseIni } from '../../../runtime/config/ini-parser';
import { listKnownSteps, loadRuntimeConfig } from '../../../runtime/config/load';
import { MODULE_CONFIG_FILE } from '../../../runtime/config/module-config';
import { discoverPlugins } from '../../../runtime/config/plugins';
import { checkDocument, stepModulesOf } from '../../../runtime/config/validate';
import type { DocumentInfo, LanguageEnvironment, Location } from './types';

export interface WorkspaceOptions {
  /** The workspace folder (holding mfdata.ini and plugins/); undefined without a folder. */
  workspace?: string;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

const within = (dir: string, file: string): boolean => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/** What a configuration file is, from its path alone (the globs of the languages contributed in package.json). */
export function classifyPath(filePath: string, opts: Pick<WorkspaceOptions, 'workspace' | 'home'>): DocumentInfo | undefined {
  const file = path.resolve(filePath);
  const base = path.basename(file);
  const parent = path.dirname(file);
  const home = runtimeHome(opts.home);
  const generated = within(home.configAutoDir, file);
  if (base === 'directory_observer.ini') return { kind: 'observer', generated };
  if (base === MODULE_CONFIG_FILE) return { kind: 'module', generated };
  if (base === 'config.ini' && path.basename(path.dirname(parent)) === 'plugins') {
    return { kind: 'plugin', plugin: { name: path.basename(parent), dir: parent }, generated };
  }
  if (base.endsWith('.ini') && path.basename(parent) === 'plugins' && path.basename(path.dirname(parent)) === 'config') {
    const name = base.slice(0, -'.ini'.length);
    const candidates = [opts.workspace && path.join(opts.workspace, 'plugins', name), path.join(home.installedPluginsDir, name)];
    const dir = candidates.find((c): c is string => !!c && fs.existsSync(path.join(c, 'config.ini'))) ?? candidates.find((c): c is string => !!c)!;
    return { kind: 'override', plugin: { name, dir }, generated };
  }
  return undefined;
}

/**
 * A LanguageEnvironment over the real file system. Known steps are cached until invalidate() (the host
 * calls it when a config.ini or mfdata.ini changes on disk), so typing never rescans the plugins.
 */
export class DiskEnvironment implements LanguageEnvironment {
  private steps: readonly string[] | undefined;

  constructor(private readonly opts: WorkspaceOptions) {}

  get home(): string {
    return this.opts.home;
  }

  get env(): Readonly<Record<string, string | undefined>> {
    return this.opts.env;
  }

  invalidate(): void {
    this.steps = undefined;
  }

  classify(filePath: string): DocumentInfo | undefined {
    return classifyPath(filePath, this.opts);
  }

  knownSteps(): readonly string[] {
    if (this.steps) return this.steps;
    const workspace = this.opts.workspace ?? path.join(this.opts.home, '.no-workspace');
    // Every step a plugin declares (even one whose config.ini has errors), plus the steps only the loaded
    // configuration has: the internal plugins mfdata.ini turns on and the hidden `<step>_reinject` retry steps.
    const declared = listKnownSteps(workspace, this.opts.home);
    const { config } = loadRuntimeConfig({ workspace, home: this.opts.home, env: this.opts.env });
    const generated = config.plugins.flatMap((p) => p.steps.map((s) => `${p.name}/${s.name}`));
    this.steps = [...new Set([...declared, ...generated])].sort();
    return this.steps;
  }

  pluginLayout(plugin: { name: string; dir: string }): { stepModules: Readonly<Record<string, string>>; sections: readonly string[] } {
    const file = path.join(plugin.dir, 'config.ini');
    try {
      const { sections } = checkDocument('plugin', fs.readFileSync(file), file, { env: this.opts.env, home: this.opts.home, plugin });
      return { stepModules: stepModulesOf(sections), sections: sections.map((s) => s.name) };
    } catch {
      // No readable config.ini: nothing to compare the override with (no unknown-section warnings either).
      return { stepModules: {}, sections: [] };
    }
  }

  stepLocation(plugin: string, step: string): Location | undefined {
    const workspace = this.opts.workspace ?? path.join(this.opts.home, '.no-workspace');
    const found = discoverPlugins(workspace, this.opts.home).plugins.find((p) => p.name === plugin);
    if (!found) return undefined;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(found.configFile);
    } catch {
      return undefined;
    }
    const section = parseIni(bytes, found.configFile).sections.find((s) => s.name === `step_${step}`);
    if (!section) return undefined;
    const s = section.nameSpan;
    return { path: found.configFile, range: { start: { line: s.line - 1, character: s.column - 1 }, end: { line: s.line - 1, character: s.endColumn - 1 } } };
  }

  isDirectory(absolutePath: string): boolean {
    try {
      return fs.statSync(absolutePath).isDirectory();
    } catch {
      return false;
    }
  }

  listDirectories(absolutePath: string): string[] {
    return this.entries(absolutePath).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  }

  listFiles(absolutePath: string): string[] {
    return this.entries(absolutePath).filter((e) => e.isFile()).map((e) => e.name).sort();
  }

  private entries(dir: string): fs.Dirent[] {
    try {
      return fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
  }
}
