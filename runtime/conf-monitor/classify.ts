// What a file change means for the running runtime: a configuration change (regenerate and reload),
// a change to a watcher's code (restart that watcher), or nothing.
import * as path from 'node:path';
import type { WatcherSpec } from '../supervisor/watcher-spec';

export type Change =
  | { kind: 'config'; file: string }
  | { kind: 'code'; file: string; watchers: string[] }
  | { kind: 'ignore' };

export interface WatchedRoots {
  /** `<workspace>/mfdata.ini`. */
  moduleConfig: string;
  /** Folders holding one directory per plugin: `<workspace>/plugins`, `<home>/var/plugins`. */
  pluginRoots: string[];
  /** `<home>/config/plugins`: operator overrides `<plugin>.ini`. */
  overridesDir: string;
}

/**
 * Editor droppings, temporary files and build outputs never trigger anything: `sed -i`'s `sedXXXXXX`, a `.plugin`
 * archive `mfdata plugins build` writes into the plugin folder, documentation (`*.md`).
 */
export function isNoise(file: string): boolean {
  const base = path.basename(file);
  return base.startsWith('.') || base.endsWith('~') || /\.(swp|swx|tmp|t|working|plugin|md)$/.test(base) || base.startsWith('#')
    || /^sed[A-Za-z0-9]{6}$/.test(base);
}

/** Directories inside a plugin that are not code the workers run (or are rewritten by tools all the time). */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.vscode', 'coverage']);

function inside(dir: string, file: string): string | undefined {
  const rel = path.relative(dir, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel;
}

/** `isDir`: the change is a directory added or removed (a plugin appearing or going away). */
export function classifyChange(file: string, isDir: boolean, roots: WatchedRoots, specs: readonly Pick<WatcherSpec, 'name' | 'watchPaths'>[]): Change {
  const abs = path.resolve(file);
  if (isNoise(abs)) return { kind: 'ignore' };
  if (abs === path.resolve(roots.moduleConfig)) return { kind: 'config', file: abs };
  const override = inside(roots.overridesDir, abs);
  if (override !== undefined) return !isDir && !override.includes(path.sep) && override.endsWith('.ini') ? { kind: 'config', file: abs } : { kind: 'ignore' };
  for (const root of roots.pluginRoots) {
    const rel = inside(root, abs);
    if (rel === undefined) continue;
    const parts = rel.split(path.sep);
    if (parts.length === 1) return isDir ? { kind: 'config', file: abs } : { kind: 'ignore' };
    if (parts.length === 2 && parts[1] === 'config.ini') return { kind: 'config', file: abs };
    if (isDir || parts.some((p) => SKIPPED_DIRS.has(p))) return { kind: 'ignore' };
    const watchers = specs
      .filter((s) => (s.watchPaths ?? []).some((w) => path.resolve(w) === abs || inside(path.resolve(w), abs) !== undefined))
      .map((s) => s.name);
    return watchers.length > 0 ? { kind: 'code', file: abs, watchers } : { kind: 'ignore' };
  }
  return { kind: 'ignore' };
}

/** The plan for a batch of changes (after the debounce): regenerate once, restart each touched watcher once. */
export function planChanges(changes: readonly Change[]): { regenerate: boolean; restart: string[]; files: string[] } {
  const restart = new Set<string>();
  const files: string[] = [];
  let regenerate = false;
  for (const c of changes) {
    if (c.kind === 'ignore') continue;
    files.push(c.file);
    if (c.kind === 'config') regenerate = true;
    else c.watchers.forEach((w) => restart.add(w));
  }
  return { regenerate, restart: [...restart].sort(), files: [...new Set(files)] };
}
