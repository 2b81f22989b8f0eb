// The difference between two supervisor configurations: what a reload must start, stop, restart or rescale.
import type { SupervisorConfig, WatcherSpec } from './watcher-spec';

export interface Rescale {
  name: string;
  from: number;
  to: number;
}

export interface ConfigDiff {
  /** New watchers (start them when autostart). */
  added: WatcherSpec[];
  /** Watchers gone from the new configuration (stop them). */
  removed: string[];
  /** Watchers whose fingerprint or command changed (restart them with the new spec). */
  changed: WatcherSpec[];
  /** Watchers where only numprocesses changed (add or remove processes, touch nothing else). */
  rescaled: Rescale[];
  /** Everything else, by name. Their spec is still replaced (autostart or priority may differ). */
  unchanged: string[];
}

/**
 * Keys that never require a restart: numprocesses is applied by adding/removing processes,
 * autostart and priority only matter when the whole runtime starts or stops.
 */
const RESTART_FREE_KEYS: ReadonlySet<string> = new Set(['numprocesses', 'autostart', 'priority', 'fingerprint']);

/** JSON text with object keys sorted, so that two equal specs compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function restartRelevant(spec: WatcherSpec): string {
  const kept = Object.fromEntries(Object.entries(spec).filter(([k]) => !RESTART_FREE_KEYS.has(k)));
  return canonical(kept);
}

/** True when `next` cannot be applied to a running watcher of spec `prev` without restarting it. */
export function needsRestart(prev: WatcherSpec, next: WatcherSpec): boolean {
  return prev.fingerprint !== next.fingerprint || restartRelevant(prev) !== restartRelevant(next);
}

export function diffConfigs(prev: SupervisorConfig, next: SupervisorConfig): ConfigDiff {
  const before = new Map(prev.watchers.map((w) => [w.name, w]));
  const after = new Map(next.watchers.map((w) => [w.name, w]));
  const diff: ConfigDiff = { added: [], removed: [], changed: [], rescaled: [], unchanged: [] };
  for (const [name, spec] of after) {
    const old = before.get(name);
    if (!old) diff.added.push(spec);
    else if (needsRestart(old, spec)) diff.changed.push(spec);
    else if (old.numprocesses !== spec.numprocesses) diff.rescaled.push({ name, from: old.numprocesses, to: spec.numprocesses });
    else diff.unchanged.push(name);
  }
  for (const name of before.keys()) if (!after.has(name)) diff.removed.push(name);
  return diff;
}
