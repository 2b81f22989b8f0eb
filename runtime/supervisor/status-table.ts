// `mfdata status` as text: the runtime line, then a table of watchers (state, pids, uptime, restarts, last exit).
// A running watcher whose processes are not all up yet (runtime/util/ready.ts) shows as `starting (k/n up)`.
import { shownState, type ExitInfo, type RuntimeStatus, type WatcherStatus } from './protocol';

/** `3d4h`, `5m12s`, `8s`: the two largest units. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  const parts: string[] = [];
  let rest = s;
  for (const [u, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length === 0 && u === 's')) parts.push(`${n}${u}`);
    if (parts.length === 2) break;
  }
  return parts.join('');
}

export function formatExit(exit: ExitInfo | undefined, now: number): string {
  if (!exit) return '-';
  const how = exit.signal ? exit.signal : `code ${exit.code ?? '?'}`;
  return `${how} (${formatDuration(now - exit.at)} ago)`;
}

function uptime(w: WatcherStatus, now: number): string {
  if (w.processes.length === 0) return '-';
  return formatDuration(now - Math.min(...w.processes.map((p) => p.startedAt)));
}

/** `starting (1/2 up)` while some processes of a running watcher are not up yet. */
function stateColumn(w: WatcherStatus): string {
  const state = shownState(w);
  if (state !== 'starting' || w.state !== 'running') return state;
  return `starting (${w.processes.filter((p) => p.ready !== false).length}/${w.processes.length} up)`;
}

export function renderStatus(status: RuntimeStatus, now: number = Date.now()): string {
  const lines = [`runtime ${status.state} (supervisor pid ${status.pid}, up ${formatDuration(now - status.startedAt)}, home ${status.home})`];
  if (status.configError) lines.push(`configuration error (the running setup was kept):`, ...status.configError.split('\n').map((l) => `  ${l}`));
  const rows = [['WATCHER', 'STATE', 'PIDS', 'UPTIME', 'RESTARTS', 'LAST EXIT']];
  for (const w of status.watchers) {
    const pids = w.processes.length === 0 ? '-' : w.processes.map((p) => p.pid).join(',');
    rows.push([w.name, stateColumn(w), pids, uptime(w, now), String(w.restarts), formatExit(w.lastExit, now)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  lines.push('');
  for (const r of rows) lines.push(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
  const failed = status.watchers.filter((w) => w.state === 'failed');
  if (failed.length > 0) {
    lines.push('');
    for (const w of failed) lines.push(`${w.name} failed: ${w.lastError ?? 'no error recorded'}`);
  }
  return `${lines.join('\n')}\n`;
}
