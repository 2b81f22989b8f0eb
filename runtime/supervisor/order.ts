// Start and stop order: watchers start by ascending priority (redis first) and stop in reverse (redis last).
import type { WatcherSpec } from './watcher-spec';

/** Watchers grouped by priority, lowest first; a group starts together, after the previous one is up. */
export function startGroups<T extends Pick<WatcherSpec, 'name' | 'priority'>>(specs: readonly T[]): T[][] {
  const byPriority = new Map<number, T[]>();
  for (const s of specs) {
    const group = byPriority.get(s.priority) ?? [];
    group.push(s);
    byPriority.set(s.priority, group);
  }
  return [...byPriority.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, group]) => group.sort((x, y) => x.name.localeCompare(y.name)));
}

/** The reverse of startGroups: the highest priority stops first, redis last. */
export function stopGroups<T extends Pick<WatcherSpec, 'name' | 'priority'>>(specs: readonly T[]): T[][] {
  return startGroups(specs).reverse();
}
