// The tree views' content as plain data: plugins > steps, processes (watchers > workers) and queues,
// built from one runtime snapshot. Pure (no vscode), so it is tested and benchmarked on plain data.
// Ids and labels only depend on names, never on figures, so selection survives every refresh.
import { shownState, type ProcessStatus, type RuntimeStatus, type WatcherStatus } from '../../runtime/supervisor/protocol';
import type { StepStats } from '../metrics/stepStats';
import type { QueueInfo, QueueMessage, StepCounters } from '../runtime/queues';
import { stepRateDescription, stepStatsTooltip } from './stepFigures';

/** What the views show, taken at one moment. */
export interface RuntimeSnapshot {
  status?: RuntimeStatus;
  /** `step.<plugin>.<step>` → length. */
  queueLengths: Map<string, number>;
  /** `<plugin>.<step>` → counters. */
  counters: Map<string, StepCounters>;
  /** Every `step.*` list in Redis (the Queues view). */
  queues: QueueInfo[];
  /** Unix milliseconds the snapshot was taken at (uptimes are computed from it). */
  takenAt: number;
  /** Step watchers this window is debugging: a handed-over step among them shows as "debugging". */
  debugging?: ReadonlySet<string>;
  /** `<plugin>.<step>` → the runtime's figures (runtime/stats): rates and times; absent when unreadable. */
  stats?: Map<string, StepStats>;
}

export type NodeKind = 'plugin' | 'step' | 'watcher' | 'process' | 'queue' | 'message' | 'trash' | 'trashFile' | 'tag';

export interface NodeModel {
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  /** Space-separated tokens matched by `viewItem =~ /\btoken\b/` in package.json menus. */
  contextValue: string;
  /** Codicon id, optionally with a theme colour id: `pass` or `error:errorForeground`. */
  icon?: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  children?: NodeModel[];
  plugin?: string;
  step?: string;
  watcher?: string;
  queue?: string;
  pid?: number;
  /** Absolute path of the file a node stands for (a trash entry). */
  file?: string;
}

export function emptySnapshot(status?: RuntimeStatus): RuntimeSnapshot {
  return { status, queueLengths: new Map(), counters: new Map(), queues: [], takenAt: Date.now() };
}

const stateIcon: Record<WatcherStatus['state'], string> = {
  running: 'pass-filled:testing.iconPassed',
  starting: 'loading~spin',
  stopping: 'loading~spin',
  stopped: 'circle-outline',
  backoff: 'warning:list.warningForeground',
  failed: 'error:list.errorForeground',
  handed_over: 'debug',
};

/** `5s`, `3m`, `2h 5m`, `4d 1h`: coarse on purpose, a description is not a clock. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function stepWatchers(status: RuntimeStatus | undefined): WatcherStatus[] {
  return (status?.watchers ?? []).filter((w) => w.kind === 'step' && w.plugin && w.step);
}

/** Plugins view: one node per plugin with a step watcher, its steps as children. */
export function pluginNodes(snapshot: RuntimeSnapshot): NodeModel[] {
  const byPlugin = new Map<string, WatcherStatus[]>();
  for (const w of stepWatchers(snapshot.status)) {
    const list = byPlugin.get(w.plugin!) ?? [];
    list.push(w);
    byPlugin.set(w.plugin!, list);
  }
  return [...byPlugin.keys()].sort().map((plugin) => {
    const watchers = byPlugin.get(plugin)!.sort((a, b) => a.step!.localeCompare(b.step!));
    const steps = watchers.map((w) => stepNode(snapshot, w));
    const failed = watchers.filter((w) => w.state === 'failed' || w.state === 'backoff').length;
    const running = watchers.filter((w) => w.state === 'running').length;
    return {
      id: `plugin:${plugin}`,
      kind: 'plugin',
      label: plugin,
      description: failed > 0 ? `${plural(watchers.length, 'step')} · ${failed} failing` : `${plural(watchers.length, 'step')} · ${running} running`,
      contextValue: 'plugin',
      icon: failed > 0 ? 'extensions-warning-message:list.warningForeground' : 'package',
      collapsible: 'expanded',
      children: steps,
      plugin,
    } satisfies NodeModel;
  });
}

function stepNode(snapshot: RuntimeSnapshot, w: WatcherStatus): NodeModel {
  const plugin = w.plugin!;
  const step = w.step!;
  const queue = `step.${plugin}.${step}`;
  const length = snapshot.queueLengths.get(queue) ?? 0;
  const counters = snapshot.counters.get(`${plugin}.${step}`) ?? { processed: 0, failed: 0 };
  const workers = `${w.processes.length}/${w.numprocesses} workers`;
  // handed_over = the step debugger took the queue; from this window ("debugging") or from another one.
  const debugging = w.state === 'handed_over' && snapshot.debugging?.has(w.name) === true;
  const state = w.state === 'handed_over' ? (debugging ? 'debugging' : 'handed over') : shownState(w);
  const stats = snapshot.stats?.get(`${plugin}.${step}`);
  const rates = stats ? ` · ${stepRateDescription(stats)}` : '';
  // The figures first (a narrow sidebar cuts the end); the state word only when it is not the icon's plain 'running'.
  const description = `${state === 'running' ? '' : `${state} · `}${counters.processed} processed · ${counters.failed} failed · queue ${length} · ${workers}${rates}`;
  return {
    id: `step:${plugin}.${step}`,
    kind: 'step',
    label: step,
    description,
    tooltip: [`${plugin} / ${step}`, `watcher ${w.name}: ${state}`, workers, `queue ${queue}: ${length}`, `processed ${counters.processed}, failed ${counters.failed}`, ...(stats ? stepStatsTooltip(stats) : []), w.lastError ? `last error: ${w.lastError}` : '']
      .filter(Boolean)
      .join('\n'),
    contextValue: `step watcher ${w.state}${debugging ? ' debugging' : ''}`,
    icon: stateIcon[shownState(w)],
    collapsible: 'none',
    plugin,
    step,
    watcher: w.name,
    queue,
  };
}

/** Processes view: every watcher, its workers as children. */
export function processNodes(snapshot: RuntimeSnapshot): NodeModel[] {
  return (snapshot.status?.watchers ?? []).map((w) => watcherNode(snapshot, w));
}

function watcherNode(snapshot: RuntimeSnapshot, w: WatcherStatus): NodeModel {
  const pids = w.processes.map((p) => p.pid);
  const oldest = w.processes.reduce<number | undefined>((min, p) => (min === undefined || p.startedAt < min ? p.startedAt : min), undefined);
  const parts: string[] = [shownState(w), `${w.processes.length}/${w.numprocesses}`];
  if (pids.length > 0) parts.push(`pid ${pids.join(',')}`);
  if (oldest !== undefined) parts.push(`up ${formatDuration(snapshot.takenAt - oldest)}`);
  if (w.restarts > 0) parts.push(`${plural(w.restarts, 'restart')}`);
  if (w.lastExit) parts.push(`last exit ${w.lastExit.signal ?? w.lastExit.code}`);
  return {
    id: `watcher:${w.name}`,
    kind: 'watcher',
    label: w.name,
    description: parts.join(' · '),
    tooltip: [`${w.name} (${w.kind}): ${shownState(w)}`, `restarts: ${w.restarts}`, w.lastExit ? `last exit: ${w.lastExit.signal ?? `code ${w.lastExit.code}`} at ${new Date(w.lastExit.at).toISOString()}` : '', w.lastError ? `last error: ${w.lastError}` : '']
      .filter(Boolean)
      .join('\n'),
    contextValue: `watcher ${w.state}${w.kind === 'step' ? ' step' : ''}`,
    icon: stateIcon[shownState(w)],
    collapsible: w.processes.length > 0 ? 'collapsed' : 'none',
    children: w.processes.map((p) => processNode(snapshot, w, p)),
    watcher: w.name,
    plugin: w.plugin,
    step: w.step,
  };
}

function processNode(snapshot: RuntimeSnapshot, w: WatcherStatus, p: ProcessStatus): NodeModel {
  return {
    id: `process:${w.name}:${p.wid}`,
    kind: 'process',
    label: `worker ${p.wid}`,
    // A process not up yet (still loading its step, or just respawned) says so instead of its age.
    description: `pid ${p.pid} · ${p.ready === false ? 'starting' : `up ${formatDuration(snapshot.takenAt - p.startedAt)}`}`,
    contextValue: 'process',
    icon: 'circle-small-filled',
    collapsible: 'none',
    watcher: w.name,
    pid: p.pid,
  };
}

/** Queues view: every `step.*` list (the messages are loaded when a queue is expanded). */
export function queueNodes(snapshot: RuntimeSnapshot): NodeModel[] {
  return snapshot.queues.map((q) => ({
    id: `queue:${q.name}`,
    kind: 'queue',
    label: q.name,
    description: plural(q.length, 'message'),
    contextValue: q.length > 0 ? 'queue nonEmpty' : 'queue',
    icon: 'inbox',
    collapsible: q.length > 0 ? 'collapsed' : 'none',
    queue: q.name,
  }));
}

/** The first messages of a queue, next to be taken first. */
export function messageNodes(queue: string, messages: QueueMessage[]): NodeModel[] {
  return messages.map((m, i) => ({
    id: `message:${queue}:${i}`,
    kind: 'message',
    label: m.filename ?? m.raw,
    description: m.directory ? `${m.event ?? ''} ${m.directory}`.trim() : undefined,
    tooltip: m.raw,
    contextValue: 'message',
    icon: 'file',
    collapsible: 'none',
    queue,
  }));
}
