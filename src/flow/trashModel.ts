// The trash browser of the Plugins view as plain nodes: under each step a "Trash (n)" node listing the files its
// failure policy kept, each with its `.tags` (tooltip and children). Pure (no vscode), tested on plain data.
// Trash of something that is not a listed step (a switch's `nomatch`) hangs under its plugin.
import type { PluginConfig } from '../../runtime/config/model';
import { REINJECT_MODULE } from '../../runtime/steps/retry';
import type { StepRef, TrashEntry } from './contract';
import type { NodeModel } from '../views/model';

/** Adds trash nodes to the Plugins view's plugin/step nodes; returns new nodes, the input is not changed. */
export function withTrash(plugins: NodeModel[], entries: readonly TrashEntry[]): NodeModel[] {
  const bySource = new Map<string, TrashEntry[]>();
  for (const e of entries) {
    const key = `${e.plugin}.${e.step}`;
    const list = bySource.get(key) ?? [];
    list.push(e);
    bySource.set(key, list);
  }
  if (bySource.size === 0) return plugins;
  return plugins.map((p) => {
    const steps = (p.children ?? []).map((s) => {
      const mine = bySource.get(`${s.plugin}.${s.step}`);
      if (!mine) return s;
      bySource.delete(`${s.plugin}.${s.step}`);
      return { ...s, collapsible: 'collapsed' as const, children: [...(s.children ?? []), trashNode(s.plugin!, s.step!, mine)] };
    });
    const orphans = [...bySource.entries()].filter(([, list]) => list[0].plugin === p.plugin);
    for (const [key] of orphans) bySource.delete(key);
    return { ...p, children: [...steps, ...orphans.map(([, list]) => trashNode(list[0].plugin, list[0].step, list))] };
  });
}

export function trashNode(plugin: string, step: string, entries: readonly TrashEntry[]): NodeModel {
  const files = [...entries].sort((a, b) => b.mtime - a.mtime || a.name.localeCompare(b.name));
  return {
    id: `trash:${plugin}.${step}`,
    kind: 'trash',
    label: `Trash (${files.length})`,
    description: step === 'nomatch' || !step ? `${plugin}${step ? ` ${step}` : ''}` : undefined,
    tooltip: `Files the failure policy of ${plugin}/${step} kept (var/in/trash/${plugin}.${step}/), newest first`,
    contextValue: 'trash',
    icon: 'trash',
    collapsible: 'collapsed',
    children: files.map(trashFileNode),
    plugin,
    step,
  };
}

function trashFileNode(e: TrashEntry): NodeModel {
  const tags = Object.entries(e.tags).sort(([a], [b]) => a.localeCompare(b));
  return {
    id: `trashFile:${e.path}`,
    kind: 'trashFile',
    label: e.name,
    description: `${formatSize(e.size)} · ${new Date(e.mtime).toISOString().slice(0, 19).replace('T', ' ')}`,
    tooltip: [e.path, ...(tags.length ? ['', 'tags:', ...tags.map(([k, v]) => `  ${k} = ${v}`)] : ['', 'no .tags file'])].join('\n'),
    contextValue: 'trashFile',
    icon: 'file',
    collapsible: tags.length > 0 ? 'collapsed' : 'none',
    children: tags.map(([k, v]) => ({ id: `trashTag:${e.path}:${k}`, kind: 'tag' as const, label: k, description: v, contextValue: 'tag', collapsible: 'none' as const })),
    plugin: e.plugin,
    step: e.step,
    file: e.path,
  };
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The uid or name the journey of a trash file is looked up by: its original uid tag, else its name. */
export function journeyKey(e: Pick<TrashEntry, 'name' | 'tags'>): string {
  return e.tags['first.core.original_uid'] ?? e.tags['first.core.original_basename'] ?? e.name;
}

/** The `plugin/step`s of the generated configuration that are internal retry steps (`builtin:reinject`): no replay target. */
export function reinjectSteps(plugins: readonly PluginConfig[]): Set<string> {
  return new Set(plugins.flatMap((p) => p.steps.filter((s) => s.stepModule === REINJECT_MODULE).map((s) => `${p.name}/${s.name}`)));
}

/**
 * Steps offered for a replay: the one the file failed in first, then every other running step, except the internal
 * ones (`internal`, as `plugin/step`): a file put into a reinject step's inbox would be scheduled as a retry.
 */
export function replayTargets(entry: Pick<TrashEntry, 'plugin' | 'step'>, running: readonly StepRef[], internal: ReadonlySet<string> = new Set()): StepRef[] {
  const steps = running.filter((s) => !internal.has(`${s.plugin}/${s.step}`));
  const own = steps.find((s) => s.plugin === entry.plugin && s.step === entry.step);
  const others = steps.filter((s) => s !== own).sort((a, b) => `${a.plugin}/${a.step}`.localeCompare(`${b.plugin}/${b.step}`));
  return own ? [own, ...others] : others;
}
